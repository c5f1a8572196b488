"""`mutualis backup DEST`: every table and every uploaded file, with a manifest and checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mutualis.core.progress import ProgressLine
from mutualis.operations.backup import create_backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base et les fichiers déposés dans une archive .tar.gz (fichier ou dossier)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination, **options):
        summary = create_backup(
            destination, progress=ProgressLine(self.stderr, label="sauvegarde ")
        )
        self.stdout.write(
            _("%(path)s : %(rows)s lignes, %(files)s fichiers, %(megabytes).1f Mo")
            % {
                "path": summary.path,
                "rows": summary.rows,
                "files": summary.files,
                "megabytes": summary.bytes / 1048576,
            }
        )
