"""The scheduler's heartbeat: its successful run is what /healthz checks."""

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Signal de vie du planificateur (vérifié par /healthz)."

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        self.stdout.write(f"heartbeat {timezone.now().isoformat(timespec='seconds')}")
