"""Erase the contact details of accounts deactivated longer ago than the configured delay."""

from django.core.management.base import BaseCommand

from mutualis.operations.personal_data import erase_due_accounts


class Command(BaseCommand):
    help = "Efface les coordonnées des comptes désactivés depuis plus que le délai configuré."

    def handle(self, *args, **options):
        self.stdout.write(f"comptes pseudonymisés : {erase_due_accounts()}")
