"""mutualis load_demo: the Sicoval territory, its programme, one account per role, a lived-in state.

Idempotent: a second run only adds what is missing. Refused under production settings.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mutualis.demo.steps import COMMUNE_PEOPLE, PASSWORD, STAFF, load_demo


class Command(BaseCommand):
    help = (
        "Charge la démonstration (territoire du Sicoval, programme 2024, comptes de démonstration)."
    )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO or settings.TESTING):
            raise CommandError(
                _(
                    "Refusé : la démonstration ne se charge pas avec les réglages de production "
                    "(définissez MUTUALIS_DEMO=1 sur une instance de démonstration)."
                )
            )
        load_demo(log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write("")
        self.stdout.write(
            _("Comptes de démonstration (mot de passe : %(password)s) :") % {"password": PASSWORD}
        )
        for username, role, *_rest in STAFF:
            self.stdout.write(f"  {username:<16} {role.label}")
        for username, insee, role, *_rest in COMMUNE_PEOPLE:
            self.stdout.write(f"  {username:<16} {role.label} ({insee})")
