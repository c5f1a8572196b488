"""mutualis import_participations FILE: co-construction and commitment letters from CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError("Aucun programme chargé : lancez d'abord load_programme.")
        path = Path(options["file"])
        try:
            rows = parse_participations(path.read_text(encoding="utf-8"))
            count = import_participations(programme=programme, rows=rows, by=None)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path} : illisible ({exc}).") from exc
        except CsvFormatError as exc:
            raise CommandError(f"{path}, {exc} Rien n'a été écrit.") from exc
        self.stdout.write(f"{count} participations enregistrées pour {programme.slug}.")
