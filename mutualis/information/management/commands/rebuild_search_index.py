"""Rebuild the SQLite full-text index from the stored search texts (PostgreSQL needs nothing)."""

from django.core.management.base import BaseCommand

from mutualis.information import search
from mutualis.information.models import Document, Post, Thread


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (SQLite) des publications, documents et échanges."

    def handle(self, *args, **options):
        for model in (Post, Document, Thread):
            count = search.rebuild(model)
            self.stdout.write(f"{model._meta.verbose_name_plural} : {count}")
