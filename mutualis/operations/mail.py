"""The outbox: an email backend that queues in the database, and the sender that empties it.

Settings make `OutboxBackend` the default mailer in production, so `send_mail()` anywhere writes
an `OutgoingEmail` row in the caller's transaction. `send_outbox()` hands due messages to the
"delivery" mailer (SMTP) one by one; a failure keeps the message queued with a growing delay
between attempts (1, 2, 4 ... minutes, at most 6 hours) and, after MUTUALIS_OUTBOX_MAX_ATTEMPTS,
marks it failed, where coordinators see it and can send it again.
"""

import email
import email.policy
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.operations.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
CLAIM = timedelta(minutes=10)


class OutboxBackend(BaseEmailBackend):
    """Writes each message to the outbox table instead of sending it."""

    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            recipients = [str(r) for r in message.recipients()]
            if not recipients:
                continue
            raw = message.message().as_bytes()
            OutgoingEmail.objects.create(
                subject=str(message.subject)[:300],
                from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
                recipients=recipients,
                message=raw,
            )
            count += 1
        return count


class StoredMessage(EmailMessage):
    """An outbox row as a message the delivery mailer can send, byte for byte as written."""

    def __init__(self, row: OutgoingEmail):
        super().__init__(subject=row.subject, from_email=row.from_email, to=list(row.recipients))
        self.raw = bytes(row.message)

    def message(self, *, policy=email.policy.default):
        return email.message_from_bytes(self.raw, policy=policy)

    def recipients(self) -> list[str]:
        return list(self.to)


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, timedelta(minutes=2 ** max(0, attempts - 1)))


@dataclass
class SendSummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _claim(pk: int, now: datetime) -> bool:
    return bool(
        OutgoingEmail.objects.filter(pk=pk, status=EmailStatus.QUEUED, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM, attempts=F("attempts") + 1, last_attempt_at=now)
    )


def _record_failure(row: OutgoingEmail, error: BaseException, now: datetime) -> str:
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claimed_until = None
    if row.attempts >= settings.MUTUALIS_OUTBOX_MAX_ATTEMPTS:
        row.status = EmailStatus.FAILED
    else:
        row.next_attempt_at = now + backoff(row.attempts)
    row.save(update_fields=["last_error", "claimed_until", "status", "next_attempt_at"])
    return row.status


def send_outbox(*, limit: int = 500, now: datetime | None = None) -> SendSummary:
    """Send what is due. Safe to run twice at once: each message is claimed before sending."""
    now = now or timezone.now()
    summary = SendSummary()
    due = list(OutgoingEmail.objects.due(now).order_by("id").values_list("pk", flat=True)[:limit])
    if not due:
        return summary
    mailer = mailers["delivery"]
    open_error: BaseException | None = None
    try:
        mailer.open()
    except OSError as error:  # SMTP down: every message waits for next time
        open_error = error
    try:
        for pk in due:
            if not _claim(pk, now):
                continue
            row = OutgoingEmail.objects.get(pk=pk)
            try:
                if open_error is not None:
                    raise open_error
                if not mailer.send_messages([StoredMessage(row)]):
                    raise OSError("le serveur de messagerie n'a pas accepté le message")
            except Exception as error:  # any failure keeps the message for a later attempt
                status = _record_failure(row, error, now)
                logger.warning("outbox message %s not sent (%s): %s", pk, status, error)
                if status == EmailStatus.FAILED:
                    summary.failed += 1
                else:
                    summary.retried += 1
                continue
            row.status, row.sent_at, row.claimed_until, row.last_error = (
                EmailStatus.SENT,
                timezone.now(),
                None,
                "",
            )
            row.save(update_fields=["status", "sent_at", "claimed_until", "last_error"])
            summary.sent += 1
    finally:
        try:
            mailer.close()
        except Exception:  # closing a dead connection must not hide the summary
            logger.debug("closing the delivery mailer failed", exc_info=True)
    return summary


def retry_now(*, row: OutgoingEmail, by) -> bool:
    """Put a failed or waiting message back at the head of the queue (audited)."""
    changed = (
        OutgoingEmail.objects.filter(pk=row.pk)
        .exclude(status=EmailStatus.SENT)
        .update(status=EmailStatus.QUEUED, next_attempt_at=timezone.now(), claimed_until=None)
    )
    if changed:
        audit.record(
            action="operations.email_retried",
            obj=row,
            by=by,
            summary=_("Courriel « %(subject)s » remis en file d'envoi") % {"subject": row.subject},
        )
    return bool(changed)
