"""mutualis load_programme FILE: validate a programme file and store it as a new version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mutualis.programme.schema import ProgrammeFileError
from mutualis.programme.services import load_programme


class Command(BaseCommand):
    help = "Valide un fichier de programme (TOML) et l'enregistre comme nouvelle version."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} : illisible ({exc}).") from exc
        try:
            result = load_programme(text=text, source=path.name)
        except ProgrammeFileError as exc:
            raise CommandError(f"{exc}\nRien n'a été enregistré.") from exc
        version = result.version
        if result.created:
            self.stdout.write(
                f"Programme {version.programme.slug} : version {version.number} enregistrée."
            )
        else:
            self.stdout.write(
                f"Programme {version.programme.slug} : inchangé (version {version.number}), rien n'a été écrit."
            )
