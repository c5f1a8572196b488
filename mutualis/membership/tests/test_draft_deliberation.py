"""The draft deliberation for joining: pre-filled for any commune, as .docx and PDF, with the
offers of the programme file; shown to coordinators and the commune's own managers only."""

import io
from datetime import date

import pytest
from docx import Document
from pdfminer.high_level import extract_text

from mutualis.membership.drafts import BLANK, build_draft, render_docx
from mutualis.programme.services import shipped_programme
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db

BASE = "/adhesions/communes/{insee}/deliberations/projet-adhesion"


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _pdf_text(content: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(content)).split())


def test_the_draft_is_prefilled_with_the_commune_and_the_programme(odars):
    spec = shipped_programme().spec
    odars.mayor_name = "Patrice ARSÉGUEL"
    odars.council_seats = 15
    text = build_draft(odars, spec, today=date(2024, 4, 1)).text()
    assert "Commune d'Odars" in text
    assert "sous la présidence de Patrice ARSÉGUEL, Maire" in text
    assert "Membres en exercice : 15." in text
    assert f"Présents : {BLANK}." in text and f"par {BLANK} voix pour" in text
    for offer in spec.offers:
        assert offer.name in text
        for axis in offer.axes:
            for service in axis.services:
                assert service.name in text
    assert "jusqu'au 30 juin 2027 avec possibilité de sortie sans frais le 31 décembre 2025" in text
    assert "0,50 € par habitant la 1re année" in text and "1,20 € par habitant la 3e année" in text
    # Odars has no IT department: the advanced offer it may apply for is the one without.
    assert "de solliciter l'adhésion à l'offre « Services avancés — communes sans DSI »" in text
    assert "offre « Services avancés — communes avec DSI »" not in text
    assert "Article 1 : d'adhérer au socle de base (gratuit)" in text


def test_unknown_facts_are_blanks_and_the_legal_council_size_is_used(odars):
    spec = shipped_programme().spec
    odars.mayor_name = ""
    odars.council_seats = None
    text = build_draft(odars, spec, today=date(2024, 4, 1)).text()
    assert f"sous la présidence de {BLANK}, Maire" in text
    assert "Membres en exercice : 15." in text  # L2121-2 for ~900 inhabitants


def test_a_commune_with_it_department_is_offered_the_advanced_offer_with_it(labege):
    text = build_draft(labege, shipped_programme().spec, today=date(2024, 4, 1)).text()
    assert "de solliciter l'adhésion à l'offre « Services avancés — communes avec DSI »" in text
    assert "jours par an" in text


def test_docx_and_pdf_are_produced_with_the_commune_and_the_offers(client, odars_manager):
    client.force_login(odars_manager)
    spec = shipped_programme().spec
    page = client.get(BASE.format(insee="31402") + "/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "projet-adhesion.docx" in html and "projet-adhesion.pdf" in html
    docx = client.get(BASE.format(insee="31402") + ".docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert "projet-deliberation-adhesion-31402.docx" in docx["Content-Disposition"]
    pdf = client.get(BASE.format(insee="31402") + ".pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    for text in (_docx_text(docx.content), _pdf_text(pdf.content)):
        assert "Odars" in text
        for offer in spec.offers:
            assert offer.name in text
        assert "☐ Article 1" in text


def test_the_commune_page_links_to_the_draft(client, odars_manager):
    client.force_login(odars_manager)
    html = client.get("/adhesions/communes/31402/").content.decode()
    assert BASE.format(insee="31402") + "/" in html


def test_any_commune_for_the_coordinator(client, coordinator):
    client.force_login(coordinator)
    commune = Commune.objects.filter(epci__siren="243100633").exclude(insee_code="31402").last()
    response = client.get(BASE.format(insee=commune.insee_code) + ".docx")
    assert response.status_code == 200
    assert commune.name in _docx_text(response.content)


@pytest.mark.parametrize("suffix", ["/", ".pdf", ".docx"])
def test_another_communes_people_get_404_and_agents_403(
    client, labege_manager, odars_agent, suffix
):
    client.force_login(labege_manager)
    response = client.get(BASE.format(insee="31402") + suffix)
    assert response.status_code == 404
    assert b"Odars" not in response.content
    client.force_login(odars_agent)
    assert client.get(BASE.format(insee="31402") + suffix).status_code == 403


def test_render_docx_is_a_word_document(odars):
    content = render_docx(build_draft(odars, shipped_programme().spec, today=date.today()))
    assert content.startswith(b"PK") and "Commune d'Odars" in _docx_text(content)
