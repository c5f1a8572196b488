"""Email the alerts whose publication date has come (a scheduled alert is sent when it appears)."""

from django.core.management.base import BaseCommand

from mutualis.information import services


class Command(BaseCommand):
    help = "Envoie par courriel les alertes publiées dont la date de publication est atteinte."

    def handle(self, *args, **options):
        sent = services.send_due_alerts()
        self.stdout.write(f"courriels d'alerte envoyés : {sent}")
