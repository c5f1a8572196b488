"""mutualis cyber_reminders: email the 6-month check-in reminder of each due diagnostic, once.

Run daily by the scheduler; a second run the same day sends nothing."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.progress import ProgressLine
from mutualis.cyber.services import send_checkin_reminders


class Command(BaseCommand):
    help = (
        "Envoie la relance du point à 6 mois pour chaque diagnostic arrivé à échéance (une fois)."
    )

    def handle(self, *args, **options):
        sent = send_checkin_reminders(
            today=timezone.localdate(), progress=ProgressLine(self.stderr, label="cyber ")
        )
        self.stdout.write(_("Relances du point à 6 mois envoyées : %(sent)s.") % {"sent": sent})
