"""mutualis import_territory: load one vintage of the Etalab communes and EPCI files."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
        parser.add_argument(
            "--allow-deactivations",
            action="store_true",
            help="accepter qu'un fichier désactive plus de 2 %% des communes actives",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        vintage = options["vintage"]
        if not 1990 <= vintage <= 2100:
            raise CommandError(_("Millésime invalide : %(vintage)s.") % {"vintage": vintage})
        try:
            communes = parse_communes(load_json(options["communes"]), source=options["communes"])
            epcis = parse_epcis(load_json(options["epcis"]), source=options["epcis"])
            summary = import_territory(
                communes=communes,
                epcis=epcis,
                vintage=vintage,
                epci_siren=options.get("epci"),
                allow_deactivations=options["allow_deactivations"],
                progress=ProgressLine(self.stderr._out),
            )
        except EtalabFormatError as exc:
            raise CommandError(_("%(error)s Rien n'a été écrit.") % {"error": exc}) from exc
        elapsed = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if not summary.changed:
            self.stdout.write(
                _("Millésime %(vintage)s (%(scope)s) : déjà à jour, rien n'a été écrit.")
                % {"vintage": vintage, "scope": summary.scope}
            )
        else:
            self.stdout.write(
                _(
                    "Millésime %(vintage)s (%(scope)s) : EPCI %(epcis_created)s créés, "
                    "%(epcis_updated)s modifiés ; communes %(communes_created)s créées, "
                    "%(communes_updated)s modifiées, %(communes_deactivated)s désactivées ; "
                    "populations %(populations_created)s créées, %(populations_updated)s modifiées."
                )
                % {
                    "vintage": vintage,
                    "scope": summary.scope,
                    "epcis_created": summary.epcis_created,
                    "epcis_updated": summary.epcis_updated,
                    "communes_created": summary.communes_created,
                    "communes_updated": summary.communes_updated,
                    "communes_deactivated": summary.communes_deactivated,
                    "populations_created": summary.populations_created,
                    "populations_updated": summary.populations_updated,
                }
            )
        for note in summary.notes:
            self.stdout.write(note)
        self.stdout.write(
            _("Durée %(seconds).2f s, mémoire maximale %(megabytes).0f Mo.")
            % {"seconds": elapsed, "megabytes": peak_mb}
        )
