"""Erase the contact details of accounts deactivated longer ago than the configured delay."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from mutualis.operations.personal_data import erase_due_accounts


class Command(BaseCommand):
    help = "Efface les coordonnées des comptes désactivés depuis plus que le délai configuré."

    def handle(self, *args, **options):
        self.stdout.write(_("comptes pseudonymisés : %(count)s") % {"count": erase_due_accounts()})
