"""The call and credit-note PDFs, and the accounting exports (CSV and XLSX)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from pdfminer.high_level import extract_text

from mutualis.contributions import services
from mutualis.contributions.models import Call
from mutualis.contributions.testing import AFTER_DEMO, advanced_member


def _text(pdf: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(pdf)).split())


@pytest.fixture
def odars_calls(odars, finance):
    membership = advanced_member(odars, exit_requested=date(2025, 6, 1))
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=finance)
    return list(Call.objects.filter(commune=odars).order_by("period_start"))


@pytest.mark.django_db
def test_call_pdf_states_debtor_creditor_basis_period_amount_and_terms(odars_calls):
    prorated = odars_calls[1]
    text = _text(bytes(prorated.pdf))
    assert f"Appel de contribution n° {prorated.number}" in text
    assert "Sicoval" in text and "243100633" in text  # creditor, from the programme file
    assert "Commune d'Odars" in text and "213104029" in text and "ARSÉGUEL" in text
    assert "951 × 1.00 € × 184 / 365" in text or "951 × 1,00 € × 184 / 365" in text
    assert "du 01/07/2025 au 31/12/2025" in text
    assert "479,41 €" in text
    assert "30 jours" in text and "31 juillet 2027" in text


@pytest.mark.django_db
def test_credit_note_pdf_names_its_call_and_reason(odars_calls, finance):
    result = services.cancel_call(
        call=odars_calls[0], reason="Adresse erronée", by=finance, on=date(2027, 7, 2)
    )
    text = _text(bytes(result.credit_note.pdf))
    assert f"Avoir n° {result.credit_note.number}" in text
    assert odars_calls[0].number in text and "Adresse erronée" in text and "475,00 €" in text


@pytest.mark.django_db
def test_calls_export_csv_has_the_accounting_columns(client, finance, odars_calls):
    client.force_login(finance)
    response = client.get("/contributions/appels/export/?annee=2027&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="appels-2027.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Numéro",
        "Date",
        "SIREN débiteur",
        "Débiteur",
        "Objet",
        "Début de période",
        "Fin de période",
        "Montant",
        "Échéance",
        "État",
    ]
    odars = [r for r in rows[1:] if r[3] == "Odars"]
    assert [r[7] for r in odars] == ["475,00", "479,41"]
    assert odars[0][1:4] == ["01/07/2027", "213104029", "Odars"]
    assert odars[0][5:7] == ["01/07/2024", "30/06/2025"] and odars[0][8] == "31/07/2027"
    assert "année d'adhésion 1" in odars[0][4]


@pytest.mark.django_db
def test_calls_export_xlsx_has_real_dates_and_numbers(client, finance, odars_calls):
    from openpyxl import load_workbook

    client.force_login(finance)
    response = client.get("/contributions/appels/export/?annee=2027&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Numéro"
    odars = [r for r in rows[1:] if r[3] == "Odars"]
    assert odars[0][1].date() == date(2027, 7, 1)
    assert Decimal(str(odars[1][7])) == Decimal("479.41")


@pytest.mark.django_db
def test_credit_notes_export_lists_the_credit_notes_of_the_year(client, finance, odars_calls):
    note = services.cancel_call(
        call=odars_calls[0], reason='=HYPERLINK("x")', by=finance, on=date(2027, 7, 2)
    ).credit_note
    client.force_login(finance)
    response = client.get("/contributions/avoirs/export/?annee=2027&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Numéro", "Date", "Appel"]
    row = next(r for r in rows if r[0] == note.number)
    assert row[2] == odars_calls[0].number and row[-1] == "475,00"
    assert row[6].startswith("'=")  # never a live formula in a spreadsheet
    xlsx = client.get("/contributions/avoirs/export/?annee=2027&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_exports_are_for_the_finance_office_only(client, odars_manager):
    client.force_login(odars_manager)
    assert client.get("/contributions/appels/export/?annee=2027").status_code == 403
    assert client.get("/contributions/avoirs/export/?annee=2027").status_code == 403


@pytest.mark.django_db
def test_an_unknown_export_format_is_not_found(client, finance):
    client.force_login(finance)
    assert client.get("/contributions/appels/export/?format=pdf").status_code == 404
    assert client.get("/contributions/appels/export/?annee=abc").status_code == 404
