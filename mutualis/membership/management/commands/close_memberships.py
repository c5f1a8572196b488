"""Apply the exits that have come due and, after a programme's end, end its open memberships.

Idempotent: run it daily from cron; a second run the same day changes nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core.progress import ProgressLine
from mutualis.membership.services import TransitionRefused, close_memberships


class Command(BaseCommand):
    help = (
        "Applique les sorties arrivées à échéance et, après la fin d'un programme, clôt ses "
        "adhésions encore ouvertes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on",
            help="date du traitement (AAAA-MM-JJ), aujourd'hui par défaut",
        )

    def handle(self, *args, on=None, **options):
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(
                _("Date illisible : %(value)s (attendu AAAA-MM-JJ).") % {"value": repr(on)}
            ) from None
        try:
            done = close_memberships(on=day, progress=ProgressLine(self.stderr._out))
        except TransitionRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            _("%(day)s : %(exited)s, %(ended)s par la fin du programme.")
            % {
                "day": day.strftime("%d/%m/%Y"),
                "exited": ngettext(
                    "%(n)s sortie appliquée", "%(n)s sorties appliquées", done["exited"]
                )
                % {"n": done["exited"]},
                "ended": ngettext("%(n)s adhésion close", "%(n)s adhésions closes", done["ended"])
                % {"n": done["ended"]},
            }
        )
