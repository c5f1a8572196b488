"""Remove deliberation PDFs uploaded and never confirmed after the delay (a scheduled job)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mutualis.membership import readings


class Command(BaseCommand):
    help = (
        "Supprime les PDF de délibérations déposés et jamais confirmés après le délai"
        " (MUTUALIS_PENDING_UPLOAD_DAYS) ; jamais un PDF rattaché à une délibération."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"délai en jours (défaut : {settings.MUTUALIS_PENDING_UPLOAD_DAYS})",
        )

    def handle(self, *args, days, **options):
        summary = readings.clean_pending_uploads(days=days)
        self.stdout.write(
            _("lectures expirées : %(expired)d, fichiers orphelins supprimés : %(orphans)d")
            % {"expired": len(summary.expired), "orphans": len(summary.orphans)}
        )
