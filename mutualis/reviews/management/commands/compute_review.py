"""mutualis compute_review --period YYYY-MM-DD: compute the review of the period containing that date.

Idempotent and safe for cron: a draft is recomputed, a published review is left as it is. Run by
the scheduler without --period: outside the programme's dates there is nothing to compute, which
is not a failure (with an explicit --period it is refused).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mutualis.programme.models import Programme
from mutualis.reviews.services import ReviewRefused, compute_review


class Command(BaseCommand):
    help = "Calcule le bilan de la période qui contient la date donnée (défaut : aujourd'hui)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="une date de la période, AAAA-MM-JJ")

    def handle(self, *args, **options):
        try:
            day = (
                date.fromisoformat(options["period"])
                if options.get("period")
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(
                f"Date invalide : {options['period']} (AAAA-MM-JJ attendu)."
            ) from exc
        programme = Programme.objects.current()
        if programme is None:
            if not options.get("period"):  # a new instance, from the scheduler: nothing to do
                self.stdout.write("Aucun programme chargé : aucun bilan à calculer.")
                return
            raise CommandError("Aucun programme chargé.")
        spec = programme.spec.programme
        if not options.get("period") and not spec.start <= day <= spec.end:
            self.stdout.write(
                f"Le {day:%d/%m/%Y} est en dehors du programme : aucun bilan à calculer."
            )
            return
        try:
            review, changed = compute_review(programme=programme, day=day)
        except ReviewRefused as exc:
            raise CommandError(str(exc)) from exc
        if changed:
            self.stdout.write(
                f"Bilan n° {review.number} calculé ({review.period_start} – {review.period_end})."
            )
        else:
            self.stdout.write(f"Bilan n° {review.number} déjà publié : inchangé.")
