"""Read the scanned deliberations waiting for OCR, one claimed at a time (a scheduled job)."""

from django.core.management.base import BaseCommand

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
            self.stdout.write(
                f"lecture {scan.pk} ({scan.commune.name}, « {scan.filename} ») :"
                f" {scan.get_status_display().lower()} en {outcome.seconds:.1f} s"
                + (f" — {scan.error}" if scan.error else "")
            )
        done = sum(o.scan.status == readings.Status.DONE for o in outcomes)
        self.stdout.write(f"lectures : {done} lue(s), {len(outcomes) - done} en échec")
