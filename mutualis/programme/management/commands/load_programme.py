"""mutualis load_programme FILE: validate a programme file and store it as a new version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.core.textfiles import UnreadableFile, read_utf8_text
from mutualis.programme.schema import ProgrammeFileError
from mutualis.programme.services import load_programme, open_programme


class Command(BaseCommand):
    help = "Valide un fichier de programme (TOML) et l'enregistre comme nouvelle version."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--open",
            action="store_true",
            help="ouvre le programme aux candidatures s'il est encore en préparation",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = read_utf8_text(path)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = load_programme(text=text, source=path.name)
        except ProgrammeFileError as exc:
            raise CommandError(_("%(error)s\nRien n'a été enregistré.") % {"error": exc}) from exc
        version = result.version
        if result.created:
            self.stdout.write(
                _("Programme %(programme)s : version %(number)s enregistrée.")
                % {"programme": version.programme.slug, "number": version.number}
            )
        else:
            self.stdout.write(
                _("Programme %(programme)s : inchangé (version %(number)s), rien n'a été écrit.")
                % {"programme": version.programme.slug, "number": version.number}
            )
        programme = version.programme
        if options["open"] and programme.opened_at is None:
            open_programme(programme=programme, by=None)
            self.stdout.write(
                _("Programme %(programme)s ouvert : %(status)s.")
                % {"programme": programme.slug, "status": programme.get_status_display()}
            )
