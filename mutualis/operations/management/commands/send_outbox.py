"""Send the queued outgoing mail through the delivery mailer, with retries and backoff."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mutualis.operations.mail import send_outbox


class Command(BaseCommand):
    help = "Envoie les courriels en attente (nouvel essai plus tard en cas d'échec)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit, **options):
        summary = send_outbox(limit=limit)
        self.stdout.write(
            _("courriels envoyés : %(sent)s, à réessayer : %(retried)s, en échec : %(failed)s")
            % {"sent": summary.sent, "retried": summary.retried, "failed": summary.failed}
        )
