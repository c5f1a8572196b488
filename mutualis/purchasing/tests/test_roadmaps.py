"""Purchasing roadmaps: who builds them, the measure they cite, the programme-wide sums."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.purchasing.aggregate import roadmap_summary
from mutualis.purchasing.models import RoadmapItem
from mutualis.purchasing.services import set_roadmap_status

pytestmark = pytest.mark.django_db

ITEM = {
    "year": 2026,
    "label": "Onduleur",
    "category": "servers",
    "estimated_cost": "750.50",
    "priority": 1,
    "measure_id": "m-bak-01",
    "notes": "",
}


def test_labege_it_co_builds_its_roadmap_with_a_diagnostic_measure(client, labege_it):
    client.force_login(labege_it)
    assert client.post("/achats/communes/31254/feuille-de-route/", ITEM).status_code == 302
    item = RoadmapItem.objects.get(label="Onduleur")
    assert item.measure_id == "M-BAK-01" and item.created_by == labege_it
    page = client.get("/achats/communes/31254/feuille-de-route/").content.decode()
    assert "Co-construite avec la DSI" in page
    assert "M-BAK-01 — " in page  # the measure's title from the referential


def test_an_unknown_measure_is_refused(client, labege_it):
    client.force_login(labege_it)
    response = client.post(
        "/achats/communes/31254/feuille-de-route/", {**ITEM, "measure_id": "M-NOPE-99"}
    )
    assert "n&#x27;existe pas dans le référentiel" in response.content.decode()
    assert not RoadmapItem.objects.filter(label="Onduleur").exists()


def test_a_base_offer_commune_has_no_roadmap_to_edit(client, odars_manager, referent):
    client.force_login(odars_manager)
    page = client.get("/achats/communes/31402/feuille-de-route/").content.decode()
    assert "service des offres avancées" in page
    assert client.post("/achats/communes/31402/feuille-de-route/", ITEM).status_code == 403
    client.force_login(referent)
    assert client.post("/achats/communes/31402/feuille-de-route/", ITEM).status_code == 403


def test_labege_never_sees_a_roadmap_of_another_commune(client, labege_manager):
    other = RoadmapItem.objects.exclude(commune__insee_code="31254").first()
    client.force_login(labege_manager)
    url = f"/achats/communes/{other.commune.insee_code}/feuille-de-route/"
    assert client.get(url).status_code == 404
    assert client.get(f"/achats/feuille-de-route/{other.pk}/").status_code == 404
    assert client.get("/achats/feuilles-de-route/").status_code == 403
    api = client.get(f"/api/purchasing/communes/{other.commune.insee_code}/roadmap")
    assert api.status_code == 404


def test_the_programme_view_sums_by_year_and_category_without_abandoned_items(referent):
    items = RoadmapItem.objects.all()
    expected: dict = {}
    for item in items:
        key = (item.year, item.category)
        expected[key] = expected.get(key, Decimal(0)) + item.estimated_cost
    assert roadmap_summary(items).cells == expected
    dropped = items.first()
    set_roadmap_status(item=dropped, status="cancelled", by=referent, reason="Budget")
    summary = roadmap_summary(RoadmapItem.objects.all())
    assert summary.total == sum(expected.values()) - dropped.estimated_cost
    assert summary.by_year[2026] == sum(v for (y, _c), v in summary.cells.items() if y == 2026)


def test_abandoning_needs_a_reason(referent):
    from mutualis.purchasing.services import Refused

    with pytest.raises(Refused, match="pourquoi"):
        set_roadmap_status(item=RoadmapItem.objects.first(), status="cancelled", by=referent)


def test_roadmap_pages_query_count_does_not_grow(client, referent, labege):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(referent)
    urls = ["/achats/feuilles-de-route/", "/achats/communes/31254/feuille-de-route/"]
    before = [count(u) for u in urls]
    for n in range(5):
        RoadmapItem.objects.create(
            commune=labege, year=2027, label=f"Achat {n}", category="other", estimated_cost=10
        )
    assert [count(u) for u in urls] == before
