"""mutualis load_referential FILE: validate a diagnostic referential and store it as a version."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.cyber.referential import ReferentialError, load_referential
from mutualis.cyber.services import load_referential_version


class Command(BaseCommand):
    help = (
        "Valide un référentiel de diagnostic (YAML) et l'enregistre comme nouvelle version ; "
        "les versions précédentes restent, et les diagnostics terminés gardent la leur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            referential = load_referential(options["file"])
            result = load_referential_version(referential=referential, source=options["file"])
        except ReferentialError as exc:
            raise CommandError(_("%(error)s\nRien n'a été enregistré.") % {"error": exc}) from exc
        version = result.version
        if result.created:
            self.stdout.write(
                _("Référentiel : version %(version)s enregistrée.") % {"version": version.version}
            )
        else:
            self.stdout.write(
                _("Référentiel : inchangé (version %(version)s), rien n'a été écrit.")
                % {"version": version.version}
            )
