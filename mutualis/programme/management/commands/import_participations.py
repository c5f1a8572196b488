"""mutualis import_participations FILE: co-construction and commitment letters from CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.core.textfiles import UnreadableFile, read_utf8_text
from mutualis.programme.models import Programme
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
        parser.add_argument("--programme", help="identifiant du programme (défaut : le courant)")

    def handle(self, *args, **options):
        slug = options.get("programme")
        programme = (
            Programme.objects.filter(slug=slug).first() if slug else Programme.objects.current()
        )
        if programme is None:
            raise CommandError(_("Aucun programme chargé : lancez d'abord load_programme."))
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
