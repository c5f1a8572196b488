"""mutualis read_deliberation FILE [--json]: read a council deliberation and check it against the
law; mutualis read_deliberation --corpus DIR: the reader's accuracy on a folder of documents whose
expected fields are written beside them."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.membership.deliberations.checks import check
from mutualis.membership.deliberations.context import check_context
from mutualis.membership.deliberations.corpus import evaluate
from mutualis.membership.deliberations.pdf import UnreadableDocument, read_file
from mutualis.membership.deliberations.reader import read_text
from mutualis.programme.models import served_epci_sirens


class Command(BaseCommand):
    help = (
        "Lit une délibération (texte ou PDF, avec OCR si le PDF n'a pas de texte) et contrôle "
        "les règles de quorum, pouvoirs, votes, taille du conseil et délai de convocation ; "
        "avec --corpus DOSSIER, mesure l'exactitude de la lecture sur un dossier de documents "
        "accompagnés de leurs valeurs attendues (NOM.expected.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--json", action="store_true", help="sortie JSON")
        parser.add_argument(
            "--corpus",
            metavar="DOSSIER",
            help="exactitude par champ et par mise en page sur un dossier de documents",
        )
        parser.add_argument(
            "--errors", action="store_true", help="avec --corpus : détaille chaque champ mal lu"
        )

    def handle(self, *args, **options):
        if options["corpus"]:
            return self._corpus(Path(options["corpus"]), options)
        if not options["file"]:
            raise CommandError(_("Indiquez un fichier ou --corpus DOSSIER."))
        try:
            text = read_file(options["file"])
        except UnreadableDocument as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        reading = read_text(text)
        epcis = served_epci_sirens() or None
        findings = check(reading, context=check_context(reading, prefer_epcis=epcis))
        data = reading.to_dict(findings)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for key, value in data.items():
            if key != "findings":
                self.stdout.write(f"{key:<18} {value}")
        for finding in data["findings"]:
            self.stdout.write(f"[{finding['severity']}] {finding['code']} : {finding['message']}")

    def _corpus(self, folder: Path, options) -> None:
        if not folder.is_dir():
            raise CommandError(_("%(path)s n'est pas un dossier.") % {"path": folder})
        result = evaluate(folder)
        if not result.documents:
            raise CommandError(
                _("Aucun document accompagné de son fichier .expected.json dans %(path)s.")
                % {"path": folder}
            )
        by_field, by_layout = result.by_field(), result.by_layout()
        if options["json"]:
            data = {
                "documents": len(result.documents),
                "overall": result.overall(),
                "fields": by_field,
                "layouts": {name: rate for name, (_count, rate) in by_layout.items()},
                "errors": {
                    r.name: {k: [str(v[0]), str(v[1])] for k, v in r.wrong.items()}
                    for r in result.documents
                    if r.wrong
                },
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        count = len(result.documents)
        self.stdout.write(
            ngettext(
                "%(count)s document lu dans %(path)s",
                "%(count)s documents lus dans %(path)s",
                count,
            )
            % {"count": count, "path": folder}
        )
        self.stdout.write(_("Exactitude par champ :"))
        for name, rate in by_field.items():
            self.stdout.write(f"  {name:<20} {rate:7.1%}")
        self.stdout.write(_("Exactitude par mise en page (documents, champs justes) :"))
        for name, (count, rate) in by_layout.items():
            self.stdout.write(f"  {name:<20} {count:>3} {rate:7.1%}")
        self.stdout.write(_("Exactitude globale : %(rate)s") % {"rate": f"{result.overall():.1%}"})
        if options["errors"]:
            for document in result.documents:
                for name, (expected, read) in document.wrong.items():
                    self.stdout.write(
                        _("%(document)s : %(field)s attendu %(expected)s, lu %(read)s")
                        % {
                            "document": document.name,
                            "field": name,
                            "expected": expected,
                            "read": read,
                        }
                    )
