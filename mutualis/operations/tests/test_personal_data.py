"""Deactivating an account, and erasing its contact details after the configured delay."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mutualis.accounts.models import ApiToken, Invitation
from mutualis.core.models import AuditEvent
from mutualis.operations.models import AccountDeactivation
from mutualis.operations.personal_data import DeactivationRefused, deactivate_account


def test_a_coordinator_deactivates_an_account_from_the_page(client, coordinator, odars_agent):
    ApiToken.issue(user=odars_agent, name="script")
    client.force_login(coordinator)
    page = client.get(f"/exploitation/comptes/{odars_agent.pk}/desactiver/")
    assert page.status_code == 200 and "Odars" in page.text
    refused = client.post(
        f"/exploitation/comptes/{odars_agent.pk}/desactiver/", {"reason": "Départ"}
    )
    assert refused.status_code == 200  # the confirmation box is required
    response = client.post(
        f"/exploitation/comptes/{odars_agent.pk}/desactiver/",
        {"reason": "Départ à la retraite", "confirm": "on"},
    )
    assert response.status_code == 302
    odars_agent.refresh_from_db()
    assert not odars_agent.is_active
    assert odars_agent.commune_roles.active().count() == 0
    assert not ApiToken.objects.usable().filter(user=odars_agent).exists()
    event = AuditEvent.objects.filter(action="accounts.deactivated").get()
    assert event.actor == coordinator and event.reason == "Départ à la retraite"
    assert client.get("/exploitation/comptes/").status_code == 200


def test_contact_details_are_erased_after_the_delay_by_the_scheduled_job(
    coordinator, odars_agent, odars
):
    Invitation.objects.create(
        email=odars_agent.email, invited_by=coordinator, commune=odars, commune_role="agent"
    )
    with override_settings(MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS=30):
        deactivation = deactivate_account(user=odars_agent, by=coordinator, reason="Départ")
    assert deactivation.erase_after.date() == (timezone.now() + timedelta(days=30)).date()
    call_command("erase_deactivated_accounts")
    odars_agent.refresh_from_db()
    assert odars_agent.first_name == "Alain"  # not yet: the delay has not passed
    AccountDeactivation.objects.filter(pk=deactivation.pk).update(
        erase_after=timezone.now() - timedelta(seconds=1)
    )
    call_command("erase_deactivated_accounts")
    odars_agent.refresh_from_db()
    assert str(odars_agent) == f"ancien-compte-{odars_agent.pk}"
    assert (odars_agent.first_name, odars_agent.last_name, odars_agent.email) == ("", "", "")
    assert not odars_agent.has_usable_password() and odars_agent.pseudonymised_at
    assert not Invitation.objects.filter(email__icontains="odars-agent").exists()
    # The history stays, under the pseudonym.
    role = odars_agent.commune_roles.get()
    assert role.ended_at and str(role.user) == f"ancien-compte-{odars_agent.pk}"
    assert AuditEvent.objects.filter(action="accounts.contact_details_erased").count() == 1
    call_command("erase_deactivated_accounts")  # idempotent
    assert AuditEvent.objects.filter(action="accounts.contact_details_erased").count() == 1


def test_refusals(coordinator, odars_agent):
    with pytest.raises(DeactivationRefused, match="propre compte"):
        deactivate_account(user=coordinator, by=coordinator, reason="x")
    with pytest.raises(DeactivationRefused, match="motif"):
        deactivate_account(user=odars_agent, by=coordinator, reason="  ")
    deactivate_account(user=odars_agent, by=coordinator, reason="x")
    with pytest.raises(DeactivationRefused, match="déjà désactivé"):
        deactivate_account(user=odars_agent, by=coordinator, reason="x")


def test_only_coordinators_deactivate(client, odars_manager, odars_agent, referent):
    for user in (odars_manager, referent):
        client.force_login(user)
        response = client.post(
            f"/exploitation/comptes/{odars_agent.pk}/desactiver/", {"reason": "x", "confirm": "on"}
        )
        assert response.status_code == 403
    odars_agent.refresh_from_db()
    assert odars_agent.is_active


def test_accounts_page_query_count_is_bounded(client, coordinator, django_assert_max_num_queries):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/exploitation/comptes/").status_code == 200


def test_erasure_also_removes_the_proconnect_identity_and_access_requests(
    coordinator, odars_agent, odars
):
    from mutualis.accounts.models import AccessRequest

    odars_agent.proconnect_sub, odars_agent.siret = "sub-123", "21310402900012"
    odars_agent.save()
    AccessRequest.objects.create(
        email=odars_agent.email, proconnect_sub="sub-123", commune=odars, user=odars_agent
    )
    deactivation = deactivate_account(user=odars_agent, by=coordinator, reason="Départ")
    AccountDeactivation.objects.filter(pk=deactivation.pk).update(
        erase_after=timezone.now() - timedelta(seconds=1)
    )
    call_command("erase_deactivated_accounts")
    odars_agent.refresh_from_db()
    assert (odars_agent.proconnect_sub, odars_agent.siret) == ("", "")
    assert not AccessRequest.objects.exists()
