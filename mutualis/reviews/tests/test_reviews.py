"""Reviews: exact figures from a known data set, frozen once published, commune version safe."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mutualis.membership.models import Transition
from mutualis.membership.services import join_base_offer
from mutualis.reviews.models import Review
from mutualis.reviews.presentation import csv_rows, sections_for
from mutualis.reviews.services import ReviewRefused, compute_review, publish_review
from mutualis.territory.models import Commune


def _figure(review, section, key):
    for s in review.figures["sections"]:
        if s["key"] == section:
            for f in s["figures"]:
                if f["key"] == key:
                    return f
    raise KeyError(key)


@pytest.fixture
def known_data(programme, coordinator):
    """Base offer: the 10 demo members joined in June 2024, plus 2 communes joining in March 2025."""
    for insee, when in [
        ("31025", datetime(2025, 3, 3, tzinfo=UTC)),
        ("31035", datetime(2025, 3, 10, tzinfo=UTC)),
    ]:
        membership = join_base_offer(
            programme=programme, commune=Commune.objects.get(insee_code=insee), by=coordinator
        )
        Transition.objects.filter(membership=membership).update(at=when)
    return programme


@pytest.mark.django_db
def test_review_counts_members_at_the_end_of_its_period(known_data):
    first = Review.objects.get(programme=known_data, number=1)
    current, changed = compute_review(programme=known_data, day=date(2026, 9, 1))
    assert changed and current.number == 5
    assert _figure(first, "membership", "members_base")["value"] == 10
    assert _figure(current, "membership", "members_base")["value"] == 12
    assert _figure(current, "membership", "members_base")["communes"] == 12


@pytest.mark.django_db
def test_published_review_never_changes(known_data, coordinator):
    review = Review.objects.get(programme=known_data, number=2)
    if not review.is_published:
        publish_review(review=review, by=coordinator, comments="ok")
    frozen = Review.objects.get(pk=review.pk).figures
    join_base_offer(
        programme=known_data, commune=Commune.objects.get(insee_code="31004"), by=coordinator
    )
    Transition.objects.filter(membership__commune__insee_code="31004").update(
        at=datetime(2025, 2, 1, tzinfo=UTC)
    )
    again, changed = compute_review(programme=known_data, day=date(2025, 2, 1))
    assert changed is False
    assert again.figures == frozen
    with pytest.raises(ReviewRefused):
        publish_review(review=again, by=coordinator, comments="again")


@pytest.mark.django_db
def test_commune_version_hides_aggregates_behind_fewer_than_three_communes(programme, odars):
    figures = {
        "sections": [
            {
                "key": "membership",
                "title": "Adhésions",
                "note": "",
                "charts": [
                    {
                        "kind": "bar",
                        "title": "Par offre",
                        "categories": ["a", "b"],
                        "series": {"n": [10, 1]},
                        "unit": "",
                    }
                ],
                "figures": [
                    {
                        "key": "members_base",
                        "label": "Base",
                        "value": 10,
                        "unit": "",
                        "communes": 10,
                        "by_commune": {"31402": 1},
                    },
                    {
                        "key": "members_it",
                        "label": "Avec DSI",
                        "value": 1,
                        "unit": "",
                        "communes": 1,
                        "by_commune": {"31254": 1},
                    },
                    {
                        "key": "commune_offer",
                        "label": "Offre",
                        "value": None,
                        "unit": "",
                        "communes": None,
                        "by_commune": {
                            "31402": "Socle de base",
                            "31254": "Services avancés — communes avec DSI",
                        },
                    },
                ],
            }
        ]
    }
    review = Review.objects.create(
        programme=programme,
        number=99,
        period_start=date(2030, 1, 1),
        period_end=date(2030, 6, 30),
        figures=figures,
        computed_at=timezone.now(),
    )
    staff = {r.key: r for s in sections_for(review) for r in s.rows}
    assert staff["members_it"].value == 1 and "commune_offer" not in staff
    sections = sections_for(review, commune_insee=odars.insee_code)
    commune = {r.key: r for s in sections for r in s.rows}
    assert commune["members_it"].hidden and commune["members_it"].value is None
    assert commune["members_base"].value == 10 and commune["members_base"].own == 1
    assert commune["commune_offer"].own == "Socle de base"
    assert sections[0].charts == []  # a chart would show the masked figure
    text = "\n".join(
        ";".join(map(str, row)) for row in csv_rows(review, commune_insee=odars.insee_code)
    )
    assert "avec DSI" not in text.split("Offre")[-1] and "31254" not in text


@pytest.mark.django_db
def test_command_computes_and_refuses_dates_outside_the_programme(capsys):
    call_command("compute_review", period="2026-08-15")
    assert "Bilan n° 5" in capsys.readouterr().out
    with pytest.raises(CommandError, match="en dehors du programme"):
        call_command("compute_review", period="2030-01-01")


@pytest.mark.django_db
def test_scheduled_run_after_the_programme_has_nothing_to_compute(capsys, monkeypatch):
    # From the scheduler (no --period), a day outside the programme is not a failure.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2030, 1, 1))
    reviews = Review.objects.count()
    call_command("compute_review")
    assert "aucun bilan à calculer" in capsys.readouterr().out
    assert Review.objects.count() == reviews


@pytest.mark.django_db
def test_pages_pdf_and_csv(client, coordinator, odars_manager, labege_manager):
    client.force_login(coordinator)
    assert client.get("/bilans/").status_code == 200
    page = client.get("/bilans/1/")
    assert page.status_code == 200 and "Bilan n° 1" in page.content.decode()
    pdf = client.get("/bilans/1/bilan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(odars_manager)
    page = client.get("/bilans/1/")
    assert "Version de la commune d&#x27;Odars" in page.content.decode()
    csv = client.get("/bilans/1/bilan.csv").content.decode()
    assert "valeur de la commune" in csv.split("\n")[0]
    draft = Review.objects.filter(state="draft").first()
    assert client.get(f"/bilans/{draft.number}/").status_code == 404
    client.force_login(labege_manager)
    assert "Odars" not in client.get("/bilans/1/").content.decode()


@pytest.mark.django_db
def test_only_coordinators_compute_and_publish(client, observer):
    client.force_login(observer)
    assert client.post("/bilans/calculer/", {"day": "2026-08-01"}).status_code == 403
    assert client.get("/bilans/tableau-de-bord-des-elus/").status_code == 200
