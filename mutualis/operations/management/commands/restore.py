"""`mutualis restore SRC`: into an empty database and storage; refuses rather than half-restores."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.core.progress import ProgressLine
from mutualis.operations.backup import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde dans une base et un stockage vides (vérifie tout avant d'écrire)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)

    def handle(self, *args, source, **options):
        try:
            summary = restore_backup(
                source, progress=ProgressLine(self.stderr, label="restauration ")
            )
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("restauré : %(rows)s lignes, %(files)s fichiers")
            % {"rows": summary.rows, "files": summary.files}
        )
