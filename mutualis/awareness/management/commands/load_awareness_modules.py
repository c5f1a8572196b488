"""mutualis load_awareness_modules [DIR]: validate the module files and store new versions."""

from django.core.management.base import BaseCommand, CommandError

from mutualis.awareness.content import ModuleError, shipped_modules_directory
from mutualis.awareness.services import load_module_files
from mutualis.core.progress import ProgressLine


class Command(BaseCommand):
    help = (
        "Valide les modules de sensibilisation (fichiers .md d'un dossier, par défaut ceux livrés "
        "avec Mutualis) et enregistre ceux qui ont changé comme nouvelles versions."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(shipped_modules_directory()))

    def handle(self, *args, **options):
        try:
            report = load_module_files(
                directory=options["directory"], progress=ProgressLine(self.stderr._out)
            )
        except ModuleError as error:
            raise CommandError(f"{error}\nRien n'a été enregistré.") from error
        for version in report.created:
            self.stdout.write(f"{version.module.slug} : version {version.version} enregistrée.")
        self.stdout.write(
            f"{len(report.created)} version(s) enregistrée(s), {len(report.unchanged)} inchangée(s)."
        )
