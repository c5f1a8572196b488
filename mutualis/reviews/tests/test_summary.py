"""The programme on one screen: the officials' summary read from the reviews' frozen figures, and
the review PDF that opens with it and leaves out empty sections."""

import io

import pytest
from pdfminer.high_level import extract_text

from mutualis.reviews.models import Review
from mutualis.reviews.presentation import FigureRow, SectionView, non_empty
from mutualis.reviews.summary import programme_summary

pytestmark = pytest.mark.django_db


def _latest_published(programme):
    return (
        Review.objects.filter(programme=programme, state=Review.State.PUBLISHED)
        .order_by("-number")
        .first()
    )


def test_summary_figures_are_the_reviews_own(programme):
    review = _latest_published(programme)
    figures = {
        (s["key"], f["key"]): f["value"] for s in review.figures["sections"] for f in s["figures"]
    }
    summary = programme_summary(review, communes_total=36)
    facts = {f.label: f for f in summary.facts}
    for offer in programme.spec.offers:
        n = figures[("membership", f"members_{offer.code}")]
        assert facts[offer.name].value.startswith(str(n))
        assert "sur 36" in facts[offer.name].reading
    trained = figures[("awareness", "agents_trained")]
    assert facts["Personnes formées"].value.startswith(str(trained))
    assert all(fact.reading for fact in summary.facts)
    # One point per published review, named by its period.
    published = Review.objects.filter(programme=programme, state=Review.State.PUBLISHED)
    assert [label for label, _v in summary.trend][:2] == ["2e semestre 2024", "1er semestre 2025"]
    assert len(summary.trend) == published.count()
    assert summary.trend[-1][1] == figures[("cyber", "maturity_average")]


def test_sections_with_nothing_to_say_are_left_out():
    empty = SectionView(
        "purchasing", "Achats", [FigureRow("a", "A", 0, ""), FigureRow("b", "B", None, "")]
    )
    full = SectionView("cyber", "Cybersécurité", [FigureRow("a", "A", 3, "")])
    nothing = SectionView("support", "Assistance", [])
    assert non_empty([empty, full, nothing]) == [full]


def test_review_pdf_opens_with_the_summary(client, coordinator, programme):
    review = _latest_published(programme)
    client.force_login(coordinator)
    pdf = client.get(f"/bilans/{review.number}/bilan.pdf").content
    first_page = extract_text(io.BytesIO(pdf), page_numbers=[0])
    assert "Contributions appelées" in first_page and "Personnes formées" in first_page
    assert "1er semestre 2026" in first_page
    assert "Aucun chiffre pour cette rubrique" not in extract_text(io.BytesIO(pdf))


def test_commune_version_of_the_pdf_has_no_programme_summary(client, odars_manager, programme):
    review = _latest_published(programme)
    client.force_login(odars_manager)
    pdf = client.get(f"/bilans/{review.number}/bilan.pdf").content
    assert "Personnes formées" not in extract_text(io.BytesIO(pdf), page_numbers=[0])
