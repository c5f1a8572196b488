"""mutualis load_awareness_modules [DIR]: validate the module files and store new versions."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            raise CommandError(
                _("%(error)s\nRien n'a été enregistré.") % {"error": error}
            ) from error
        for version in report.created:
            self.stdout.write(
                _("%(module)s : version %(version)s enregistrée.")
                % {"module": version.module.slug, "version": version.version}
            )
        self.stdout.write(
            _("%(created)s, %(unchanged)s.")
            % {
                "created": ngettext(
                    "%(n)s version enregistrée", "%(n)s versions enregistrées", len(report.created)
                )
                % {"n": len(report.created)},
                "unchanged": ngettext("%(n)s inchangée", "%(n)s inchangées", len(report.unchanged))
                % {"n": len(report.unchanged)},
            }
        )
