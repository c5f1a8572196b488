"""mutualis load_referential FILE: validate a diagnostic referential and store it as a version."""

from django.core.management.base import BaseCommand, CommandError

from mutualis.cyber.referential import ReferentialError, load_referential
from mutualis.cyber.services import load_referential_version


class Command(BaseCommand):
    help = (
        "Valide un référentiel de diagnostic (YAML) et l'enregistre comme nouvelle version ; "
        "les versions précédentes restent, et les diagnostics terminés gardent la leur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            referential = load_referential(options["file"])
            result = load_referential_version(referential=referential, source=options["file"])
        except ReferentialError as exc:
            raise CommandError(f"{exc}\nRien n'a été enregistré.") from exc
        version = result.version
        if result.created:
            self.stdout.write(f"Référentiel : version {version.version} enregistrée.")
        else:
            self.stdout.write(
                f"Référentiel : inchangé (version {version.version}), rien n'a été écrit."
            )
