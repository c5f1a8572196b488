"""Critical alerts: one acknowledgement per commune, exact figures, reminders to the others."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from mutualis.accounts.models import User
from mutualis.information import services
from mutualis.information.enums import Category
from mutualis.information.models import Acknowledgement, Post
from mutualis.information.tests.factories import published_post
from mutualis.membership.enums import IN_OFFER
from mutualis.membership.models import Membership
from mutualis.territory.models import Commune

ALERT = "Alerte critique de test"


@pytest.fixture
def alert(db):
    return published_post(ALERT, category=Category.ALERT)


def _members():
    return Commune.objects.filter(memberships__status__in=IN_OFFER).distinct()


@pytest.mark.django_db
def test_a_commune_acknowledges_once_whoever_clicks(
    client, alert, odars, odars_agent, odars_manager
):
    client.force_login(odars_agent)
    url = reverse("information:acknowledge", args=[alert.pk])
    response = client.post(url, {"commune": odars.insee_code}, follow=True)
    assert "Lecture de l&#x27;alerte confirmée pour Odars" in response.content.decode()
    client.force_login(odars_manager)
    response = client.post(url, {"commune": odars.insee_code}, follow=True)
    assert "avait déjà confirmé" in response.content.decode()
    ack = Acknowledgement.objects.get(post=alert, commune=odars)
    assert ack.by == odars_agent
    assert Acknowledgement.objects.filter(post=alert).count() == 1


@pytest.mark.django_db
def test_a_commune_cannot_acknowledge_for_another(client, alert, labege_it, odars):
    client.force_login(labege_it)
    response = client.post(
        reverse("information:acknowledge", args=[alert.pk]), {"commune": odars.insee_code}
    )
    assert response.status_code == 404
    assert not Acknowledgement.objects.filter(post=alert, commune=odars).exists()


@pytest.mark.django_db
def test_a_commune_not_addressed_cannot_acknowledge(client, labege, labege_it, odars):
    only_odars = published_post(ALERT, category=Category.ALERT, communes=[odars])
    client.force_login(labege_it)
    response = client.post(
        reverse("information:acknowledge", args=[only_odars.pk]), {"commune": labege.insee_code}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_coordinator_sees_who_has_and_who_has_not(
    client, alert, coordinator, odars, labege, odars_manager
):
    services.acknowledge(post=alert, commune=odars, by=odars_manager)
    status = services.acknowledgement_status(alert)
    members = _members().count()
    assert status.total == members == 10
    assert [c.name for c, _ack in status.acknowledged] == ["Odars"]
    assert labege in status.pending and len(status.pending) == members - 1
    client.force_login(coordinator)
    page = client.get(reverse("information:acknowledgements", args=[alert.pk])).content.decode()
    assert "Martine Secrétaire-Odars" in page
    assert f'<dd class="num">{members - 1}</dd>' in page


@pytest.mark.django_db
def test_commune_people_cannot_see_the_figures(client, alert, odars_manager):
    client.force_login(odars_manager)
    assert client.get(reverse("information:acknowledgements", args=[alert.pk])).status_code == 403


@pytest.mark.django_db
def test_the_reminder_goes_to_the_people_of_pending_communes_only(
    client, alert, coordinator, odars, odars_manager
):
    services.acknowledge(post=alert, commune=odars, by=odars_manager)
    client.force_login(coordinator)
    mail.outbox.clear()
    response = client.post(reverse("information:remind", args=[alert.pk]), follow=True)
    recipients = {address for m in mail.outbox for address in m.to}
    from mutualis.accounts.models import CommuneRole

    odars_people = set(
        CommuneRole.objects.active().filter(commune=odars).values_list("user__email", flat=True)
    )
    pending_people = set(
        CommuneRole.objects.active()
        .exclude(commune=odars)
        .filter(user__email__in=recipients)
        .values_list("user__email", flat=True)
    )
    assert {
        "labege-manager@demo.mutualis.localhost",
        "labege-it@demo.mutualis.localhost",
    } <= recipients
    assert recipients.isdisjoint(odars_people)
    assert recipients == pending_people  # every recipient belongs to a commune still pending
    assert all(ALERT in m.subject for m in mail.outbox)
    assert f"Rappel envoyé par courriel à {len(recipients)} personnes" in response.content.decode()
    assert "Rappel de l&#x27;alerte" in response.content.decode()  # listed under the reminders


@pytest.mark.django_db
def test_the_pending_banner_lists_unacknowledged_alerts(client, alert, odars, odars_agent):
    client.force_login(odars_agent)
    assert ALERT in client.get(reverse("information:posts")).content.decode()
    services.acknowledge(post=alert, commune=odars, by=odars_agent)
    page = client.get(reverse("information:posts")).content.decode()
    assert "dont la lecture est à confirmer" not in page


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer (IMMEDIATE transactions): concurrent acknowledgements "
    "are only meaningful on PostgreSQL, where the CI run executes this test",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_acknowledgements_leave_exact_figures(committed_demo):
    """16 threads acknowledge at once: 8 for Odars, 8 for Labège, racing on the same rows."""
    alert = published_post(ALERT, category=Category.ALERT)
    people = {
        "31402": list(User.objects.filter(username__in=["odars-manager", "odars-agent"])),
        "31254": list(User.objects.filter(username__in=["labege-manager", "labege-it"])),
    }
    communes = Commune.objects.in_bulk(list(people), field_name="insee_code")
    barrier = threading.Barrier(16)
    created, errors = [], []

    def run(insee: str, index: int) -> None:
        from django.db import connection as thread_connection

        try:
            post = Post.objects.get(pk=alert.pk)
            barrier.wait(timeout=30)
            _ack, was_created = services.acknowledge(
                post=post, commune=communes[insee], by=people[insee][index % 2]
            )
            created.append((insee, was_created))
        except Exception as error:
            errors.append(repr(error))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(insee, i)) for insee in people for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(insee for insee, was_created in created if was_created) == ["31254", "31402"]
    assert len(created) == 16
    status = services.acknowledgement_status(alert)
    assert len(status.acknowledged) == 2
    assert len(status.pending) == status.total - 2 == _members().count() - 2
    assert Acknowledgement.objects.filter(post=alert).count() == 2
    from mutualis.core.models import AuditEvent

    assert (
        AuditEvent.objects.for_object(alert).filter(action="information.acknowledged").count() == 2
    )
    assert Membership.objects.exists()
