"""The weekly digest of posts, per person; run it as often as you like, one per ISO week."""

from django.core.management.base import BaseCommand

from mutualis.core.progress import ProgressLine
from mutualis.information import services


class Command(BaseCommand):
    help = (
        "Envoie à chacun la lettre hebdomadaire des publications qui lui sont adressées "
        "(une seule par semaine, même relancée)."
    )

    def handle(self, *args, **options):
        result = services.send_digests(progress=ProgressLine(self.stderr, label="lettre "))
        self.stdout.write(
            f"lettres envoyées : {result.sent} ; déjà envoyées cette semaine : {result.already} ; "
            f"rien de neuf : {result.empty} ; désabonnés : {result.unsubscribed}"
        )
