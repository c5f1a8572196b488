"""`mutualis export_commune_archive INSEE DEST`: a commune's archive as one ZIP file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.operations.archive import archive_name, build_commune_archive
from mutualis.territory.models import Commune


class Command(BaseCommand):
    help = "Exporte tout ce que la plateforme détient sur une commune (ZIP : CSV, JSON, documents)."

    def add_arguments(self, parser):
        parser.add_argument("insee_code")
        parser.add_argument("destination", type=Path, help="fichier .zip ou dossier")

    def handle(self, *args, insee_code, destination, **options):
        commune = Commune.objects.filter(insee_code=insee_code).first()
        if commune is None:
            raise CommandError(
                _("Aucune commune de code INSEE « %(insee)s ».") % {"insee": insee_code}
            )
        if destination.is_dir():
            destination = destination / archive_name(commune)
        handle = build_commune_archive(commune=commune, by=None)
        with destination.open("wb") as target:
            target.write(handle.read())
        self.stdout.write(
            _("%(path)s (%(size)s octets)")
            % {"path": destination, "size": destination.stat().st_size}
        )
