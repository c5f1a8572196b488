"""`mutualis backup DEST`: every table and every uploaded file, with a manifest and checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand

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
            f"{summary.path} : {summary.rows} lignes, {summary.files} fichiers, "
            f"{summary.bytes / 1048576:.1f} Mo"
        )
