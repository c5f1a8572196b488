"""mutualis compute_review --period YYYY-MM-DD [--publish]: compute the review of the period
containing that date (and publish it, once that period has ended).

Idempotent and safe for cron: a draft is recomputed, a published review is left as it is. Run by
the scheduler without --period: outside the programme's dates there is nothing to compute, which
is not a failure (with an explicit --period it is refused).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.programme.commands import add_programme_argument, programme_from_option
from mutualis.programme.models import Programme
from mutualis.reviews.services import ReviewRefused, compute_review, publish_review


class Command(BaseCommand):
    help = "Calcule le bilan de la période qui contient la date donnée (défaut : aujourd'hui)."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="une date de la période, AAAA-MM-JJ")
        add_programme_argument(parser)
        parser.add_argument(
            "--publish",
            action="store_true",
            help="publier ensuite le bilan (seulement une fois sa période terminée)",
        )

    def handle(self, *args, **options):
        try:
            day = (
                date.fromisoformat(options["period"])
                if options.get("period")
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(
                _("Date invalide : %(value)s (AAAA-MM-JJ attendu).") % {"value": options["period"]}
            ) from exc
        if not options.get("period") and not options.get("programme"):
            # The scheduler: every opened programme whose dates contain the day.
            programmes = list(Programme.objects.running(day).order_by("start"))
            if not programmes:
                self.stdout.write(
                    _("Le %(day)s est en dehors de tout programme : aucun bilan à calculer.")
                    % {"day": day.strftime("%d/%m/%Y")}
                )
            for programme in programmes:
                self._compute(programme, day, options.get("publish"))
            return
        programme = programme_from_option(options.get("programme"))
        self._compute(programme, day, options.get("publish"))

    def _compute(self, programme, day, publish):
        try:
            review, changed = compute_review(programme=programme, day=day)
        except ReviewRefused as exc:
            raise CommandError(str(exc)) from exc
        if publish and not review.is_published:
            try:
                publish_review(review=review, by=None, comments=review.comments)
            except ReviewRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(_("Bilan n° %(number)s publié.") % {"number": review.number})
        elif changed:
            self.stdout.write(
                _("Bilan n° %(number)s calculé (%(start)s – %(end)s).")
                % {"number": review.number, "start": review.period_start, "end": review.period_end}
            )
        else:
            self.stdout.write(
                _("Bilan n° %(number)s déjà publié : inchangé.") % {"number": review.number}
            )
