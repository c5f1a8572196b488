"""Reminders of overdue calls: emailed with their PDF to the commune's managers, recorded and
audited, sent by the finance office only, once per call and day unless confirmed."""

import pytest
from django.core import mail
from django.utils import timezone

from mutualis.contributions.models import Call, Reminder
from mutualis.contributions.reminders import (
    ReminderNeedsConfirmation,
    ReminderRefused,
    manager_emails,
    send_reminder,
)
from mutualis.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_call():
    """The oldest overdue call, its commune given a manager (the demo's managers are of Odars and
    Labège, whose calls are paid or in days)."""
    from mutualis.accounts.enums import CommuneRoleKind
    from mutualis.accounts.models import CommuneRole, User

    call = (
        Call.objects.overdue(timezone.localdate()).select_related("commune").order_by("due_on")[0]
    )
    manager = User.objects.create_user(
        username="treasurer", email="secretariat@mairie.example", first_name="Anne", last_name="Roc"
    )
    CommuneRole.objects.create(user=manager, commune=call.commune, role=CommuneRoleKind.MANAGER)
    return call


def test_finance_reminds_an_overdue_call(finance, overdue_call):
    reminder = send_reminder(call=overdue_call, by=finance)
    assert reminder.recipients == manager_emails(overdue_call.commune)
    assert reminder.outstanding == Call.objects.with_balance().get(pk=overdue_call.pk).outstanding
    assert bytes(reminder.pdf).startswith(b"%PDF")
    (message,) = mail.outbox
    assert message.to == reminder.recipients
    assert overdue_call.number in message.subject
    ((name, content, mimetype),) = message.attachments
    assert name == f"relance-{overdue_call.number}.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="contributions.call_reminded").get()
    assert event.actor == finance and event.commune_insee == overdue_call.commune.insee_code


def test_a_second_reminder_the_same_day_needs_confirmation(finance, overdue_call):
    send_reminder(call=overdue_call, by=finance)
    with pytest.raises(ReminderNeedsConfirmation):
        send_reminder(call=overdue_call, by=finance)
    assert Reminder.objects.filter(call=overdue_call).count() == 1 and len(mail.outbox) == 1
    again = send_reminder(call=overdue_call, by=finance, confirmed=True)
    assert again.confirmed_again and len(mail.outbox) == 2


def test_a_reminder_the_next_day_needs_no_confirmation(finance, overdue_call):
    today = timezone.localdate()
    send_reminder(call=overdue_call, by=finance, today=today)
    later = send_reminder(call=overdue_call, by=finance, today=today + timezone.timedelta(days=1))
    assert not later.confirmed_again


@pytest.mark.parametrize("username", ["observer", "referent", "odars-manager", "labege-manager"])
def test_only_the_finance_office_and_coordinators_remind(username, overdue_call):
    from mutualis.accounts.models import User

    with pytest.raises(ReminderRefused):
        send_reminder(call=overdue_call, by=User.objects.get(username=username))
    assert not Reminder.objects.exists() and not mail.outbox


def test_a_call_not_yet_due_is_not_reminded(finance):
    today = timezone.localdate()
    call = Call.objects.live().with_balance().filter(due_on__gte=today, outstanding__gt=0).first()
    if call is None:
        call = Call.objects.live().with_balance().filter(outstanding__gt=0).first()
        today = call.due_on
    with pytest.raises(ReminderRefused, match="pas encore échu"):
        send_reminder(call=call, by=finance, today=today)


@pytest.mark.parametrize("username", ["observer", "labege-manager", "odars-manager"])
def test_the_remind_action_is_refused_to_others(client, username, overdue_call):
    from mutualis.accounts.models import User

    client.force_login(User.objects.get(username=username))
    assert client.post(f"/contributions/appels/{overdue_call.pk}/relancer/").status_code == 403
    assert not Reminder.objects.exists()


def test_a_double_click_sends_one_reminder(client, finance, overdue_call):
    client.force_login(finance)
    url = f"/contributions/appels/{overdue_call.pk}/relancer/"
    first = client.post(url, {"next": "/accueil/finances/"})
    assert first.status_code == 302 and first["Location"] == "/accueil/finances/"
    second = client.post(url, {"next": "/accueil/finances/"})
    assert second.status_code == 200 and "déjà été relancé" in second.content.decode()
    assert Reminder.objects.filter(call=overdue_call).count() == 1 and len(mail.outbox) == 1
    client.post(url, {"confirm": "1"})
    assert Reminder.objects.filter(call=overdue_call).count() == 2


def test_the_call_page_shows_its_reminders(client, finance, overdue_call):
    send_reminder(call=overdue_call, by=finance)
    client.force_login(finance)
    page = client.get(f"/contributions/appels/{overdue_call.pk}/").content.decode()
    reminder = Reminder.objects.get(call=overdue_call)
    assert f"/contributions/relances/{reminder.pk}/pdf/" in page
    assert reminder.recipients[0] in page
    pdf = client.get(f"/contributions/relances/{reminder.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_commune_manager_never_sees_the_reminder_letter(
    client, finance, overdue_call, labege_manager
):
    reminder = send_reminder(call=overdue_call, by=finance)
    client.force_login(labege_manager)
    assert client.get(f"/contributions/relances/{reminder.pk}/pdf/").status_code == 403
