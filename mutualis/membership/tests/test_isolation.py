"""Labège's people never see Odars' (or any other commune's) deliberations, applications,
conventions: not on a page, a PDF, an upload form, an action or the API."""

from datetime import date

import pytest

from mutualis.accounts.models import ApiToken
from mutualis.membership import services
from mutualis.membership.models import Amendment, Convention, Deliberation, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def odars_convention(programme, odars, coordinator):
    """Odars walked to an issued convention with an amendment (the demo keeps it in the base offer)."""
    membership = services.apply_for_advanced_offer(
        programme=programme,
        commune=odars,
        offer_code="advanced-without-it",
        by=coordinator,
        on=date(2026, 9, 1),
    )
    services.queue_application(membership=membership, by=coordinator)
    services.admit_commune(membership=membership, by=coordinator, reason="test")
    convention = services.issue_convention(
        membership=membership, by=coordinator, on=date(2026, 9, 2)
    )
    services.issue_amendment(convention=convention, subject="Avenant d'Odars", by=coordinator)
    return convention


def _urls(convention):
    membership = convention.membership
    deliberation = Deliberation.objects.filter(commune__insee_code="31402").first()
    amendment = convention.amendments.get()
    return [
        "/adhesions/communes/31402/",
        "/adhesions/communes/31402/candidature/",
        "/adhesions/communes/31402/socle/",
        "/adhesions/communes/31402/deliberations/nouvelle/",
        "/adhesions/communes/31402/deliberations/projet-adhesion/",
        "/adhesions/communes/31402/deliberations/projet-adhesion.pdf",
        "/adhesions/communes/31402/deliberations/projet-adhesion.docx",
        f"/adhesions/deliberations/{deliberation.pk}/",
        f"/adhesions/deliberations/{deliberation.pk}/document.pdf",
        f"/adhesions/{membership.pk}/sortie/",
        f"/adhesions/{membership.pk}/retrait/",
        f"/adhesions/{membership.pk}/admission/",
        f"/adhesions/conventions/{convention.pk}/document.pdf",
        f"/adhesions/conventions/{convention.pk}/signee.pdf",
        f"/adhesions/conventions/{convention.pk}/signer/",
        f"/adhesions/conventions/{convention.pk}/avenant/",
        f"/adhesions/avenants/{amendment.pk}/document.pdf",
        f"/adhesions/avenants/{amendment.pk}/signer/",
        f"/api/memberships/{membership.pk}",
        f"/api/deliberations/{deliberation.pk}",
        f"/api/conventions/{convention.pk}",
    ]


@pytest.mark.parametrize("username", ["labege-manager", "labege-it"])
def test_labege_never_reaches_odars_objects(client, odars_convention, username):
    from mutualis.accounts.models import User

    client.force_login(User.objects.get(username=username))
    for url in _urls(odars_convention):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in {403, 404, 405}, (method.__name__, url)
            assert b"Odars" not in response.content, url
            assert b"CONV-" not in response.content, url
    # Nothing was changed by the attempts.
    odars_convention.membership.refresh_from_db()
    assert odars_convention.membership.status == "convention_issued"


def test_odars_people_reach_their_own(client, odars_convention, odars_manager, odars_agent):
    for user in (odars_manager, odars_agent):
        client.force_login(user)
        response = client.get(f"/adhesions/conventions/{odars_convention.pk}/document.pdf")
        assert response.status_code == 200


def test_labege_lists_show_only_labege(client, labege_manager, odars_convention):
    client.force_login(labege_manager)
    html = client.get("/adhesions/deliberations/").content.decode()
    assert "Odars" not in html and "Auzielle" not in html
    _, key = ApiToken.issue(user=labege_manager, name="test")
    headers = {"Authorization": f"Bearer {key}"}
    for url in (
        "/api/memberships?limit=100",
        "/api/deliberations?limit=100",
        "/api/conventions?limit=100",
    ):
        items = client.get(url, headers=headers).json()["items"]
        assert items and {i["insee_code"] for i in items} == {"31254"}, url
    assert client.get("/api/memberships?insee_code=31402", headers=headers).json()["items"] == []
    assert client.get("/api/capacity", headers=headers).status_code == 403


def test_staff_api_shows_everything_with_the_same_rules(client, observer, odars_convention):
    client.force_login(observer)
    conventions = client.get("/api/conventions?limit=100").json()
    numbers = {c["number"]: c for c in conventions["items"]}
    assert odars_convention.number in numbers
    assert (
        numbers[odars_convention.number]["amendments"][0]["number"]
        == f"{odars_convention.number}-A1"
    )
    odars = client.get("/api/deliberations?insee_code=31402").json()["items"][0]
    assert (odars["number"], odars["members_in_office"], odars["present_count"]) == (
        "2024-05-04",
        14,
        10,
    )
    assert len(odars["present"]) == 9 and len(odars["represented"]) == 3
    assert [f["code"] for f in odars["findings"]] == [
        "present_count_mismatch",
        "members_named_mismatch",
    ]
    detail = client.get(f"/api/memberships/{odars_convention.membership_id}").json()
    assert [t["to_status"] for t in detail["transitions"]] == [
        "applied",
        "queued",
        "admitted",
        "convention_issued",
    ]
    pools = {p["code"]: p for p in client.get("/api/capacity").json()}
    assert (
        pools["referent"]["capacity_days"] == "180"
        or float(pools["referent"]["capacity_days"]) == 180
    )
    assert [q["commune"] for q in pools["referent"]["queue"]] == ["Belberaud", "Goyrans"]
    assert "/api/capacity" in client.get("/api/openapi.json").json()["paths"]


def test_objects_that_do_not_exist_answer_404(client, coordinator):
    client.force_login(coordinator)
    for url in (
        "/adhesions/999999/sortie/",
        "/adhesions/conventions/999999/document.pdf",
        "/adhesions/deliberations/999999/",
        "/adhesions/avenants/999999/document.pdf",
    ):
        assert client.get(url).status_code == 404
    assert (
        Membership.objects.exists() and Amendment.objects.exists() and Convention.objects.exists()
    )
