"""mutualis import_commune_attributes: IT department, council seats, town hall and mayor from CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.core.textfiles import UnreadableFile, read_utf8_text
from mutualis.territory.attributes import CsvFormatError, parse_attributes
from mutualis.territory.services import apply_commune_attributes


class Command(BaseCommand):
    help = (
        "Importe les attributs des communes depuis un CSV (colonnes : insee_code, "
        "has_it_department, council_seats, town_hall_address, mayor_name)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            rows = parse_attributes(read_utf8_text(path))
            changed = apply_commune_attributes(rows=rows, by=None)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        except CsvFormatError as exc:
            raise CommandError(
                _("%(path)s, %(error)s Rien n'a été écrit.") % {"path": path, "error": exc}
            ) from exc
        self.stdout.write(
            _("%(rows)s lignes lues, %(changed)s communes modifiées.")
            % {"rows": len(rows), "changed": changed}
        )
