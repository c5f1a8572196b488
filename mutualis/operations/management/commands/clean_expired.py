"""Remove what has expired: sessions, sign-in attempts, old sign-in logs, old sent mail, old
one-time form tokens (a double click is seconds apart; a month covers a page left open)."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts.models import AccessRequest
from mutualis.core.models import Submission
from mutualis.operations.models import EmailStatus, OutgoingEmail

SENT_MAIL_DAYS = 30
SUBMISSION_DAYS = 30


class Command(BaseCommand):
    help = "Supprime les sessions expirées, les tentatives de connexion et journaux anciens."

    def handle(self, *args, **options):
        now = timezone.now()
        sessions, _by_model = Session.objects.filter(expire_date__lt=now).delete()
        cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
        attempts, _by_model = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()
        log_limit = now - timedelta(days=settings.MUTUALIS_ACCESS_LOG_DAYS)
        logs = AccessLog.objects.filter(attempt_time__lt=log_limit).delete()[0]
        logs += AccessFailureLog.objects.filter(attempt_time__lt=log_limit).delete()[0]
        mails, _by_model = OutgoingEmail.objects.filter(
            status=EmailStatus.SENT, sent_at__lt=now - timedelta(days=SENT_MAIL_DAYS)
        ).delete()
        tokens, _by_model = Submission.objects.filter(
            at__lt=now - timedelta(days=SUBMISSION_DAYS)
        ).delete()
        # ProConnect access requests nobody answered: personal data kept as long as sign-in logs.
        AccessRequest.objects.pending().filter(last_seen_at__lt=log_limit).delete()
        self.stdout.write(
            _(
                "sessions : %(sessions)s, tentatives : %(attempts)s, journaux : %(logs)s, "
                "courriels : %(mails)s, jetons de formulaire : %(tokens)s"
            )
            % {
                "sessions": sessions,
                "attempts": attempts,
                "logs": logs,
                "mails": mails,
                "tokens": tokens,
            }
        )
