"""The 6-month check-in reminder: sent once to the commune's managers and the referent."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mutualis.core.models import AuditEvent
from mutualis.cyber.models import Diagnostic, DiagnosticStatus, add_months
from mutualis.cyber.services import cancel_diagnostic, send_checkin_reminders


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 7, 15), 6) == datetime.date(2025, 1, 15)


def test_no_reminder_while_a_follow_up_is_under_way(db):
    call_command("cyber_reminders")
    assert mail.outbox == []


def test_reminder_is_sent_once_when_due(odars, referent):
    draft = Diagnostic.objects.get(commune=odars, status=DiagnosticStatus.DRAFT)
    cancel_diagnostic(diagnostic=draft, by=referent, reason="Reporté")
    today = timezone.localdate()

    call_command("cyber_reminders")
    call_command("cyber_reminders")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Odars" in message.subject
    assert set(message.to) == {"odars-manager@demo.mutualis.localhost", referent.email}
    assert "en retard" in message.body
    completed = Diagnostic.objects.completed().get(commune=odars)
    assert completed.checkin_reminder_sent_at is not None
    assert (
        AuditEvent.objects.for_object(completed).filter(action="cyber.checkin_reminder").count()
        == 1
    )
    assert send_checkin_reminders(today=today) == 0


def test_recent_diagnostic_is_not_due(labege):
    diagnostic = Diagnostic.objects.completed().get(commune=labege)
    assert diagnostic.checkin_due_on() > timezone.localdate()
    send_checkin_reminders(today=timezone.localdate())
    assert all("Labège" not in m.subject for m in mail.outbox)
