"""Accounts kept true: a ProConnect identity unused for MUTUALIS_OIDC_STALE_DAYS is flagged to the
coordinators, on the accounts page and by the weekly scheduled report."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mutualis.accounts.models import User

pytestmark = pytest.mark.django_db


def _seen(user, days_ago: int) -> None:
    User.objects.filter(pk=user.pk).update(
        proconnect_sub=f"sub-{user.pk}",
        proconnect_seen_at=timezone.now() - timedelta(days=days_ago),
    )


def test_stale_identity_is_flagged_on_the_accounts_page(
    client, coordinator, odars_agent, labege_it, settings
):
    settings.MUTUALIS_OIDC_STALE_DAYS = 180
    _seen(odars_agent, 200)
    _seen(labege_it, 10)
    client.force_login(coordinator)
    page = client.get("/exploitation/comptes/?q=agent-odars").content.decode()
    assert "inutilisée depuis plus de 180 jours" in page
    page = client.get("/exploitation/comptes/?q=labege-it").content.decode()
    assert "dernière connexion le" in page and "inutilisée depuis" not in page


def test_scheduled_report_tells_the_coordinators(coordinator, odars_agent, labege_it, settings):
    settings.MUTUALIS_OIDC_STALE_DAYS = 180
    _seen(odars_agent, 200)
    _seen(labege_it, 10)
    call_command("report_stale_proconnect")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert coordinator.email in message.to
    assert odars_agent.email in message.body and labege_it.email not in message.body
    assert "1 compte sans connexion ProConnect depuis plus de 180 jours" in message.subject


def test_no_report_when_every_identity_is_in_use(coordinator, odars_agent, settings):
    settings.MUTUALIS_OIDC_STALE_DAYS = 180
    _seen(odars_agent, 20)
    call_command("report_stale_proconnect")
    assert mail.outbox == []


def test_report_job_is_scheduled():
    from mutualis.operations.scheduler import JOBS

    assert "report_stale_proconnect" in {job.command for job in JOBS}
