"""Email the notice-deadline alerts of contracts (idempotent: run it daily from the scheduler)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core.progress import ProgressLine
from mutualis.purchasing.services import send_contract_alerts


class Command(BaseCommand):
    help = "Envoie les alertes de préavis des contrats (une fois par contrat et par échéance)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="date du jour à retenir (AAAA-MM-JJ), pour rattraper")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    _("Date invalide : %(value)s (AAAA-MM-JJ)") % {"value": repr(options["date"])}
                ) from error
        sent = send_contract_alerts(today=today, progress=ProgressLine(label="Contrats : "))
        self.stdout.write(
            ngettext(
                "%(sent)s alerte de préavis envoyée.", "%(sent)s alertes de préavis envoyées.", sent
            )
            % {"sent": sent}
        )
