"""mutualis import_participations FILE: co-construction and commitment letters from CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.core.textfiles import UnreadableFile, read_utf8_text
from mutualis.programme.commands import add_programme_argument, programme_from_option
from mutualis.programme.participation_csv import parse_participations
from mutualis.programme.services import import_participations
from mutualis.territory.attributes import CsvFormatError


class Command(BaseCommand):
    help = (
        "Importe la participation des communes à un programme depuis un CSV (colonnes : "
        "insee_code, co_construction, commitment_letter_date)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        add_programme_argument(parser)

    def handle(self, *args, **options):
        programme = programme_from_option(options.get("programme"))
        path = Path(options["file"])
        try:
            rows = parse_participations(read_utf8_text(path))
            count = import_participations(programme=programme, rows=rows, by=None)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        except CsvFormatError as exc:
            raise CommandError(
                _("%(path)s, %(error)s Rien n'a été écrit.") % {"path": path, "error": exc}
            ) from exc
        self.stdout.write(
            _("%(count)s participations enregistrées pour %(programme)s.")
            % {"count": count, "programme": programme.slug}
        )
