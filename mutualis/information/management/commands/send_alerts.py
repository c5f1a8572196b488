"""Email the alerts whose publication date has come (a scheduled alert is sent when it appears)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mutualis.information import services


class Command(BaseCommand):
    help = "Envoie par courriel les alertes publiées dont la date de publication est atteinte."

    def handle(self, *args, **options):
        sent = services.send_due_alerts()
        self.stdout.write(_("courriels d'alerte envoyés : %(sent)s") % {"sent": sent})
