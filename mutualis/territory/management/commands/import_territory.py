"""mutualis import_territory: load one vintage of the Etalab communes and EPCI files."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError

from mutualis.core.progress import ProgressLine
from mutualis.territory.etalab import EtalabFormatError, load_json, parse_communes, parse_epcis
from mutualis.territory.services import import_territory


class Command(BaseCommand):
    help = (
        "Importe un millésime des fichiers Etalab (communes-AAAA.json[.gz], epci-AAAA.json[.gz])."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", required=True, help="fichier communes-AAAA.json[.gz]")
        parser.add_argument("--epcis", required=True, help="fichier epci-AAAA.json[.gz]")
        parser.add_argument("--vintage", required=True, type=int, help="millésime, ex. 2026")
        parser.add_argument("--epci", help="SIREN d'un EPCI pour n'importer que ses communes")

    def handle(self, *args, **options):
        started = time.monotonic()
        vintage = options["vintage"]
        if not 1990 <= vintage <= 2100:
            raise CommandError(f"Millésime invalide : {vintage}.")
        try:
            communes = parse_communes(load_json(options["communes"]), source=options["communes"])
            epcis = parse_epcis(load_json(options["epcis"]), source=options["epcis"])
            summary = import_territory(
                communes=communes,
                epcis=epcis,
                vintage=vintage,
                epci_siren=options.get("epci"),
                progress=ProgressLine(self.stderr._out),
            )
        except EtalabFormatError as exc:
            raise CommandError(f"{exc} Rien n'a été écrit.") from exc
        elapsed = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if not summary.changed:
            self.stdout.write(
                f"Millésime {vintage} ({summary.scope}) : déjà à jour, rien n'a été écrit."
            )
        else:
            self.stdout.write(
                f"Millésime {vintage} ({summary.scope}) : "
                f"EPCI {summary.epcis_created} créés, {summary.epcis_updated} modifiés ; "
                f"communes {summary.communes_created} créées, {summary.communes_updated} modifiées, "
                f"{summary.communes_deactivated} désactivées ; populations "
                f"{summary.populations_created} créées, {summary.populations_updated} modifiées."
            )
        for note in summary.notes:
            self.stdout.write(note)
        self.stdout.write(f"Durée {elapsed:.2f} s, mémoire maximale {peak_mb:.0f} Mo.")
