"""mutualis read_deliberation FILE [--json]: read a council deliberation and check it against the law."""

import json
import sys

from django.core.management.base import BaseCommand

from mutualis.membership.deliberations.checks import check
from mutualis.membership.deliberations.context import check_context
from mutualis.membership.deliberations.pdf import UnreadableDocument, read_file
from mutualis.membership.deliberations.reader import read_text
from mutualis.programme.models import served_epci_sirens


class Command(BaseCommand):
    help = (
        "Lit une délibération (texte ou PDF, avec OCR si le PDF n'a pas de texte) et contrôle "
        "les règles de quorum, pouvoirs, votes, taille du conseil et délai de convocation."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, **options):
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
