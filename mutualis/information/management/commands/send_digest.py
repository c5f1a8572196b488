"""The weekly digest of posts, per person; run it as often as you like, one per ISO week."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

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
            _(
                "lettres envoyées : %(sent)s ; déjà envoyées cette semaine : %(already)s ; "
                "rien de neuf : %(empty)s ; désabonnés : %(unsubscribed)s"
            )
            % {
                "sent": result.sent,
                "already": result.already,
                "empty": result.empty,
                "unsubscribed": result.unsubscribed,
            }
        )
