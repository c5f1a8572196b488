"""mutualis import_payments FILE: payments from the public accountant's CSV statement."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.contributions.services import import_statement
from mutualis.contributions.statement import StatementError
from mutualis.core.textfiles import UnreadableFile, read_utf8_text


class Command(BaseCommand):
    help = (
        "Enregistre les paiements d'un relevé du comptable public (CSV : date_paiement, montant, "
        "reference, numero_appel, siren_debiteur facultatif). Tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = read_utf8_text(path)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = import_statement(text=text, filename=path.name, by=None)
        except StatementError as exc:
            raise CommandError(_("%(path)s : %(error)s") % {"path": path, "error": exc}) from None
        self.stdout.write(result.message())
