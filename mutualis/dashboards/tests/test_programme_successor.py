"""The coordinators' page that prepares the successor, and the opening of a draft."""

import pytest
from django.urls import reverse

from mutualis.programme.models import Programme, Status

pytestmark = pytest.mark.django_db

FORM = {
    "slug": "sicoval-2027",
    "name": "Mutualisation DSI du Sicoval 2027-2030",
    "start": "2027-07-01",
    "end": "2030-06-30",
}


def test_a_coordinator_prepares_the_successor_as_a_draft_then_opens_it(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("dashboards:programme_successor"), FORM)
    assert response.status_code == 302
    successor = Programme.objects.get(slug="sicoval-2027")
    assert successor.status() == Status.DRAFT and successor.predecessor.slug == "sicoval-2024"
    page = client.get(reverse("programme:detail"), {"programme": "sicoval-2027"})
    assert "Ouvrir aux candidatures" in page.content.decode()
    client.post(reverse("dashboards:programme_open"), {"programme": "sicoval-2027"})
    successor.refresh_from_db()
    assert successor.opened_at is not None and successor.status() != Status.DRAFT


def test_a_taken_slug_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)
    page = client.post(reverse("dashboards:programme_successor"), {**FORM, "slug": "sicoval-2024"})
    assert page.status_code == 200
    assert "est déjà celui" in page.content.decode()


def test_other_roles_cannot_prepare_a_successor(client, finance, odars_manager):
    for user in (finance, odars_manager):
        client.force_login(user)
        assert client.post(reverse("dashboards:programme_successor"), FORM).status_code == 403
    assert not Programme.objects.filter(slug="sicoval-2027").exists()
