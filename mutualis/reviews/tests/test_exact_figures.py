"""Review figures are exact decimals with their unit, in French: « +10,4 % », never
« +10,399999999999999 », on the page, the PDF, the CSV and the officials' dashboard."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from mutualis.core.figures import Figure
from mutualis.reviews.models import Review
from mutualis.reviews.presentation import csv_rows, sections_for


def _snapshot(share: float, amount: float) -> dict:
    return {
        "sections": [
            {
                "key": "test",
                "title": "Test",
                "note": "",
                "charts": [],
                "figures": [
                    {
                        "key": "share",
                        "label": "Part",
                        "value": share,
                        "unit": "%",
                        "communes": 10,
                        "by_commune": {},
                    },
                    {
                        "key": "amount",
                        "label": "Montant",
                        "value": amount,
                        "unit": "€",
                        "communes": 10,
                        "by_commune": {},
                    },
                ],
            }
        ]
    }


@pytest.fixture
def latest_two(programme):
    published = list(
        Review.objects.filter(programme=programme, state=Review.State.PUBLISHED).order_by(
            "-number"
        )[:2]
    )
    latest, before = published
    Review.objects.filter(programme=programme, number__gt=before.number).exclude(
        pk=latest.pk
    ).update(figures=_snapshot(93.3, 1000.0))
    Review.objects.filter(pk=before.pk).update(figures=_snapshot(93.3, 1000.0))
    Review.objects.filter(pk=latest.pk).update(figures=_snapshot(103.7, 1141.2))
    return Review.objects.get(pk=latest.pk)


@pytest.mark.django_db
def test_changes_are_exact_decimals(latest_two):
    rows = {r.key: r for r in sections_for(latest_two)[0].rows}
    assert rows["share"].delta == Decimal("10.4")  # 103.7 − 93.3 in floats: 10.400000000000006
    assert rows["amount"].value == Decimal("1141.2")


@pytest.mark.django_db
def test_the_page_pdf_and_dashboard_show_french_figures_with_units(client, coordinator, latest_two):
    client.force_login(coordinator)
    for url in (f"/bilans/{latest_two.number}/", "/bilans/tableau-de-bord-des-elus/"):
        page = client.get(url).content.decode()
        assert "+10,4\xa0%" in page and "1\u202f141,20\xa0€" in page, url
        assert "10,4000" not in page and "10.4000" not in page and "10,3999" not in page
    pdf_html = render_to_string(
        "reviews/pdf.html", {"review": latest_two, "sections": sections_for(latest_two)}
    )
    assert "+10,4\xa0%" in pdf_html and "1\u202f141,20\xa0€" in pdf_html


@pytest.mark.django_db
def test_the_csv_has_french_decimals(latest_two):
    share = next(row for row in csv_rows(latest_two) if row[1] == "Part")
    amount = next(row for row in csv_rows(latest_two) if row[1] == "Montant")
    assert share[2:6] == ["103,7", "%", "93,3", "+10,4"]
    assert amount[2:6] == ["1141,20", "€", "1000,00", "+141,20"]


def test_a_float_figure_is_taken_by_its_shortest_repr():
    figure = Figure(key="k", label="l", value=103.7 - 93.3, unit="%", by_commune={"x": 0.1 + 0.2})
    assert figure.value == Decimal("10.400000000000006")  # what was computed, kept exact
    assert Figure(key="k", label="l", value=10.4, unit="%").value == Decimal("10.4")
