"""mutualis awareness_reminders [--today YYYY-MM-DD]: email campaign reminders, for the scheduler.

Idempotent: each person gets each kind of reminder (new campaign, due in a week, overdue) once per
campaign, however often the command runs.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.awareness.services import send_reminders
from mutualis.core.progress import ProgressLine


class Command(BaseCommand):
    help = "Envoie les rappels des campagnes de sensibilisation (chaque rappel une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="date du jour à retenir (AAAA-MM-JJ), pour les essais")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(
                    _("--today %(value)s : date invalide, attendu AAAA-MM-JJ.")
                    % {"value": options["today"]}
                ) from error
        report = send_reminders(today=today, progress=ProgressLine(self.stderr._out))
        sent = report.sent
        parts = [
            ngettext("%(n)s nouvelle campagne", "%(n)s nouvelles campagnes", sent["assigned"])
            % {"n": sent["assigned"]},
            ngettext("%(n)s échéance proche", "%(n)s échéances proches", sent["due_soon"])
            % {"n": sent["due_soon"]},
            ngettext("%(n)s retard", "%(n)s retards", sent["overdue"]) % {"n": sent["overdue"]},
        ]
        self.stdout.write(_("Rappels envoyés : %(parts)s.") % {"parts": ", ".join(parts)})
        if report.skipped_without_email:
            self.stdout.write(
                ngettext(
                    "%(count)s personne sans adresse électronique.",
                    "%(count)s personnes sans adresse électronique.",
                    report.skipped_without_email,
                )
                % {"count": report.skipped_without_email}
            )
