"""mutualis prepare_successor --programme SLUG --slug NEW --start … --end …: the next programme."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.programme.commands import add_programme_argument, programme_from_option
from mutualis.programme.schema import ProgrammeFileError
from mutualis.programme.services import ProgrammeRefused, prepare_successor


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("« %(value)s » n'est pas une date AAAA-MM-JJ.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Prépare le programme suivant à partir du fichier du programme en cours (nouvel "
        "identifiant, nom et dates) et le charge en préparation ; --output écrit le fichier à "
        "ajuster (tarifs, capacité) avant de le recharger avec load_programme --open."
    )

    def add_arguments(self, parser):
        add_programme_argument(parser)
        parser.add_argument("--slug", required=True, help="identifiant du programme suivant")
        parser.add_argument("--name", required=True, help="nom du programme suivant")
        parser.add_argument("--start", required=True, help="début AAAA-MM-JJ")
        parser.add_argument("--end", required=True, help="fin AAAA-MM-JJ")
        parser.add_argument("--free-exit-date", help="sortie sans frais AAAA-MM-JJ (facultatif)")
        parser.add_argument("--output", help="fichier où écrire le programme préparé")

    def handle(self, *args, **options):
        programme = programme_from_option(options.get("programme"))
        try:
            result = prepare_successor(
                programme=programme,
                slug=options["slug"],
                name=options["name"],
                start=_date(options["start"]),
                end=_date(options["end"]),
                free_exit_date=_date(options.get("free_exit_date")),
                by=None,
            )
        except (ProgrammeRefused, ProgrammeFileError) as exc:
            raise CommandError(_("%(error)s\nRien n'a été enregistré.") % {"error": exc}) from exc
        if options.get("output"):
            Path(options["output"]).write_text(result.version.content, encoding="utf-8")
        self.stdout.write(
            _("Programme %(slug)s préparé (en préparation) pour succéder à %(programme)s.")
            % {"slug": options["slug"], "programme": programme.slug}
        )
