"""Conventions and amendments: numbered once and forever in unbroken yearly sequences, real PDFs
with the parties, services, contribution terms, dates and signature block."""

import io
from datetime import date

import pytest
from pdfminer.high_level import extract_text

from mutualis.core.models import DocumentCounter
from mutualis.membership import services
from mutualis.membership.models import Convention
from mutualis.membership.tests.helpers import pdf_upload
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db


def _admitted(programme, insee, coordinator, on):
    commune = Commune.objects.get(insee_code=insee)
    if not commune.memberships.filter(offer_code="base", status="joined").exists():
        services.join_base_offer(programme=programme, commune=commune, by=coordinator, on=on)
    offer = "advanced-with-it" if commune.has_it_department else "advanced-without-it"
    membership = services.apply_for_advanced_offer(
        programme=programme, commune=commune, offer_code=offer, by=coordinator, on=on
    )
    services.queue_application(membership=membership, by=coordinator, on=on)
    services.admit_commune(membership=membership, by=coordinator, on=on, reason="test")
    return membership


def _text(field) -> str:
    return extract_text(io.BytesIO(field.open("rb").read()))


def test_demo_conventions_are_numbered_in_order_of_issue():
    numbers = list(Convention.objects.order_by("issued_on", "pk").values_list("number", flat=True))
    assert numbers == [f"CONV-2024-{n:04d}" for n in range(1, 6)]
    assert DocumentCounter.objects.get(series="convention", year=2024).last == 5


def test_numbers_continue_the_year_and_restart_the_next(programme, coordinator, odars):
    first = services.issue_convention(
        membership=_admitted(programme, "31402", coordinator, date(2024, 11, 4)),
        by=coordinator,
        on=date(2024, 11, 5),
    )
    assert first.number == "CONV-2024-0006"
    second = services.issue_convention(
        membership=_admitted(programme, "31004", coordinator, date(2025, 1, 6)),
        by=coordinator,
        on=date(2025, 1, 7),
    )
    assert second.number == "CONV-2025-0001"


def test_a_refused_issue_uses_no_number(programme, coordinator, odars):
    membership = _admitted(programme, "31402", coordinator, date(2024, 11, 4))
    with pytest.raises(services.TransitionRefused, match="comprise dans le programme"):
        services.issue_convention(
            membership=membership,
            by=coordinator,
            on=date(2024, 11, 5),
            planned_start=date(2030, 1, 1),
        )
    assert DocumentCounter.objects.get(series="convention", year=2024).last == 5
    issued = services.issue_convention(membership=membership, by=coordinator, on=date(2024, 11, 5))
    assert issued.number == "CONV-2024-0006"


def test_convention_without_it_department_states_its_terms(programme, coordinator, odars):
    convention = services.issue_convention(
        membership=_admitted(programme, "31402", coordinator, date(2024, 11, 4)),
        by=coordinator,
        on=date(2024, 11, 5),
    )
    text = " ".join(_text(convention.document).split())
    for expected in (
        "Convention de services mutualisés — commune sans DSI",
        convention.number,
        "Sicoval (SIREN 243100633)",
        "la commune d'Odars",
        "Patrice ARSÉGUEL",
        "Diagnostic de premier niveau en cybersécurité",
        "0,50 € par habitant",
        "1,20 € par habitant",
        "premier jour du mois qui suit sa signature",
        "30 juin 2027",
        "sans frais le 31 décembre 2025",
        "Signature et cachet",
    ):
        assert expected in text, expected


def test_convention_with_it_department_states_days_in_kind(programme, coordinator):
    castanet = _admitted(programme, "31113", coordinator, date(2024, 11, 4))
    convention = services.issue_convention(
        membership=castanet, by=coordinator, on=date(2024, 11, 5), planned_start=date(2025, 1, 1)
    )
    assert convention.type_code == "with-it"
    text = " ".join(_text(convention.document).split())
    assert "commune avec DSI" in text and "24 jours par année d'adhésion" in text
    assert "prend effet le 1 janvier 2025" in text or "prend effet le 1er janvier 2025" in text
    signed = services.sign_convention(
        convention=convention, signed_on=date(2024, 11, 20), signed_pdf=pdf_upload(), by=coordinator
    )
    assert signed.start_date == date(2025, 1, 1)  # the date written on the convention


def test_amendments_are_numbered_under_their_convention(programme, coordinator):
    convention = Convention.objects.get(membership__commune__insee_code="31036")
    assert [a.number for a in convention.amendments.all()] == [f"{convention.number}-A1"]
    second = services.issue_amendment(convention=convention, subject="Mise à jour", by=coordinator)
    assert second.number == f"{convention.number}-A2"
    text = " ".join(_text(second.document).split())
    assert f"Avenant n° {convention.number}-A2" in text and "Mise à jour" in text
    with pytest.raises(services.TransitionRefused, match="objet de l'avenant"):
        services.issue_amendment(convention=convention, subject=" ", by=coordinator)


def test_no_amendment_once_the_membership_is_over(programme, coordinator):
    ramonville = Convention.objects.get(membership__commune__insee_code="31446")
    with pytest.raises(services.TransitionRefused, match="n'est plus en vigueur"):
        services.issue_amendment(convention=ramonville, subject="x", by=coordinator)
