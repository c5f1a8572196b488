"""Read the scanned deliberations waiting for OCR, one claimed at a time (a scheduled job)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.membership import readings


class Command(BaseCommand):
    help = (
        "Lit par OCR les délibérations numérisées déposées (PDF sans couche texte), une à la fois ;"
        " plusieurs processus peuvent tourner ensemble sans lire deux fois le même document."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=20, help="nombre maximal de documents par passage"
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=None,
            help="délai maximal par document, en secondes (défaut : MUTUALIS_OCR_TIMEOUT_SECONDS)",
        )

    def handle(self, *args, limit, timeout, **options):
        outcomes = readings.read_scans(limit=limit, timeout=timeout)
        for outcome in outcomes:
            scan = outcome.scan
            line = _("lecture %(id)s (%(commune)s, « %(file)s ») : %(status)s en %(seconds)s s") % {
                "id": scan.pk,
                "commune": scan.commune.name,
                "file": scan.filename,
                "status": scan.get_status_display().lower(),
                "seconds": f"{outcome.seconds:.1f}".replace(".", ","),
            }
            self.stdout.write(line + (f" — {scan.error}" if scan.error else ""))
        done = sum(o.scan.status == readings.Status.DONE for o in outcomes)
        self.stdout.write(
            _("lectures : %(done)s, %(failed)s en échec")
            % {
                "done": ngettext("%(n)s réussie", "%(n)s réussies", done) % {"n": done},
                "failed": len(outcomes) - done,
            }
        )
