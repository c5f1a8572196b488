"""Amounts and rates in the call PDF are in French format: « 1,00 € », never « 1.00 € »."""

import io
import re
from datetime import date

import pytest
from pdfminer.high_level import extract_text

from mutualis.contributions import services
from mutualis.contributions.models import Call
from mutualis.contributions.testing import AFTER_DEMO, advanced_member, call_of


@pytest.mark.django_db
def test_call_pdf_writes_rates_and_amounts_with_a_decimal_comma(odars, finance):
    membership = advanced_member(odars, exit_requested=date(2025, 6, 1))
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=finance)
    call = Call.objects.filter(commune=odars).order_by("period_start")[1]

    text = " ".join(extract_text(io.BytesIO(bytes(call.pdf))).split())

    assert "Tarif par habitant" in text and "1,00 €" in text
    assert re.findall(r"\d\.\d\d €", text) == []


@pytest.mark.django_db
def test_call_pdf_groups_the_thousands_of_the_population(labege, finance):
    """Labège counts more than a thousand inhabitants: « 4 123 », never « 4123 »."""
    call = call_of(labege, by=finance)
    assert call.population >= 1000

    raw = extract_text(io.BytesIO(bytes(call.pdf)))
    text = " ".join(raw.split())  # the narrow no-break space is whitespace to split()

    assert f"{call.population // 1000}\u202f{call.population % 1000:03d}" in raw
    assert f"{call.population // 1000} {call.population % 1000:03d} ×" in text
    assert str(call.population) not in text
