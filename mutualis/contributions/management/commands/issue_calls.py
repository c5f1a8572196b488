"""mutualis issue_calls --on DATE: issue every call for contributions due by that date."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.contributions.services import ContributionError, issue_calls
from mutualis.core.progress import ProgressLine
from mutualis.programme.commands import programme_from_option
from mutualis.programme.models import Programme


class Command(BaseCommand):
    help = (
        "Émet, datés du jour donné, tous les appels de contribution dus à cette date et pas "
        "encore émis (une période est appelée quand elle commence). Sans effet si tout est émis."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="date d'émission AAAA-MM-JJ (défaut : aujourd'hui)")
        parser.add_argument(
            "--programme", help="identifiant du programme (défaut : chaque programme ouvert)"
        )

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError:
            raise CommandError(
                _("« %(value)s » n'est pas une date AAAA-MM-JJ.") % {"value": options["on"]}
            ) from None
        slug = options.get("programme")
        # Without --programme (the scheduler), every opened programme: each issues what is due.
        programmes = (
            [programme_from_option(slug)]
            if slug
            else list(Programme.objects.opened().order_by("start"))
        )
        if not programmes:
            # A new instance, before its programme is loaded: nothing is due (for the scheduler).
            self.stdout.write(_("Aucun programme n'est chargé : aucun appel à émettre."))
            return
        for programme in programmes:
            try:
                run = issue_calls(
                    programme=programme, on=on, by=None, progress=ProgressLine(self.stderr._out)
                )
            except ContributionError as exc:
                raise CommandError(_("%(error)s Rien n'a été émis.") % {"error": exc}) from None
            self.stdout.write(run.message())
