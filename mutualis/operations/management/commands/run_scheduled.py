"""Run every scheduled job that is due (from cron, on every app server: safe to overlap)."""

from django.core.management.base import BaseCommand

from mutualis.operations.scheduler import run_due


class Command(BaseCommand):
    help = "Lance les tâches planifiées arrivées à échéance (sans risque sur plusieurs serveurs)."

    def handle(self, *args, **options):
        failed = 0
        for outcome in run_due():
            if outcome.status == "skipped":
                continue
            line = f"{outcome.job}: {outcome.status}"
            if outcome.output:
                line += f" — {outcome.output.splitlines()[-1]}"
            self.stdout.write(line)
            failed += outcome.status == "failed"
        if failed:
            # A non-zero exit makes cron mail the administrator.
            raise SystemExit(1)
