"""Payments: recorded by the finance office or imported from the accountant's statement; balances
and overdue calls; a negative or excessive payment is refused and nothing is written."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from mutualis.contributions import services
from mutualis.contributions.models import Call, Payment, PaymentStatement
from mutualis.contributions.statement import StatementError
from mutualis.contributions.testing import AFTER_DEMO, advanced_member
from mutualis.core.models import AuditEvent
from mutualis.territory.models import Commune

TODAY = date(2027, 8, 15)
HEADER = "date_paiement;montant;reference;numero_appel;siren_debiteur\n"


@pytest.fixture
def odars_calls(odars, finance):
    membership = advanced_member(odars)
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=finance)
    return list(Call.objects.filter(commune=odars).order_by("period_start"))


def pay(call, amount, *, by, paid_on=date(2027, 7, 20), reference="TIT-1"):
    return services.record_payment(
        call=call, amount=Decimal(amount), paid_on=paid_on, reference=reference, by=by, today=TODAY
    )


@pytest.mark.django_db
def test_a_payment_is_recorded_with_its_audit_entry(odars_calls, finance):
    payment = pay(odars_calls[0], "475.00", by=finance)
    assert (payment.commune.name, payment.source, payment.recorded_by) == (
        "Odars",
        "manual",
        finance,
    )
    assert AuditEvent.objects.filter(
        action="contributions.payment_recorded", commune_insee="31402"
    ).exists()
    call = Call.objects.with_balance().get(pk=odars_calls[0].pk)
    assert call.outstanding == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-10.00", "doit être positif"),
        ("0", "doit être positif"),
        ("475.01", "dépasse le reste dû"),
        ("1.001", "plus de deux décimales"),
    ],
)
def test_a_bad_payment_is_refused_naming_commune_and_period(odars_calls, finance, amount, message):
    before = Payment.objects.count()
    with pytest.raises(services.ContributionError) as error:
        pay(odars_calls[0], amount, by=finance)
    text = str(error.value)
    assert message in text
    assert "Odars" in text and "période du 01/07/2024 au 30/06/2025" in text
    assert Payment.objects.count() == before


@pytest.mark.django_db
def test_a_future_payment_date_or_missing_reference_is_refused(odars_calls, finance):
    with pytest.raises(services.ContributionError, match="dans le futur"):
        pay(odars_calls[0], "10", by=finance, paid_on=TODAY + timedelta(days=1))
    with pytest.raises(services.ContributionError, match="référence est obligatoire"):
        pay(odars_calls[0], "10", by=finance, reference=" ")


@pytest.mark.django_db
def test_the_finance_page_refuses_a_negative_payment_with_a_clear_message(
    client, odars_calls, finance
):
    client.force_login(finance)
    call = odars_calls[0]
    response = client.post(
        f"/contributions/appels/{call.pk}/paiement/",
        {"amount": "-475", "paid_on": "2026-01-05", "reference": "X"},
        follow=True,
    )
    text = response.content.decode()
    assert "doit être positif" in text and "Odars" in text
    assert not Payment.objects.filter(call=call).exists()
    response = client.post(
        f"/contributions/appels/{call.pk}/paiement/",
        {"amount": "100,00", "paid_on": "2026-01-05", "reference": "TIT-9"},
        follow=True,
    )
    assert "Paiement enregistré" in response.content.decode()
    assert Payment.objects.get(call=call).amount == Decimal("100.00")


@pytest.mark.django_db
def test_a_statement_is_imported_whole_and_twice_adds_nothing(odars_calls, finance):
    first, second, _ = odars_calls
    text = (
        HEADER
        + f"20/07/2027;475,00;TIT-A;{first.number};213104029\n"
        + f"2027-07-21;500;TIT-B;{second.number};\n"
    )
    result = services.import_statement(text=text, filename="releve.csv", by=finance, today=TODAY)
    assert (result.recorded, result.skipped) == (2, 0)
    assert Payment.objects.filter(statement=result.statement).count() == 2
    again = services.import_statement(text=text, filename="releve.csv", by=finance, today=TODAY)
    assert (again.recorded, again.skipped) == (0, 2)
    assert "2 déjà enregistrés ignorés" in again.message()


@pytest.mark.django_db
def test_a_statement_with_bad_rows_writes_nothing_and_lists_every_problem(odars_calls, finance):
    first, second, third = odars_calls
    text = (
        HEADER
        + f"20/07/2027;475,00;TIT-A;{first.number};\n"
        + f"20/07/2027;-5,00;TIT-B;{second.number};\n"
        + "20/07/2027;5,00;TIT-C;1999-0001;\n"
        + f"20/07/2027;5,00;TIT-D;{third.number};999999999\n"
        + f"20/07/2027;600,00;TIT-E;{second.number};\n"
        + f"20/07/2027;400,00;TIT-F;{second.number};\n"
    )
    payments, statements = Payment.objects.count(), PaymentStatement.objects.count()
    with pytest.raises(StatementError) as error:
        services.import_statement(text=text, filename="r.csv", by=finance, today=TODAY)
    errors = error.value.errors
    assert errors[0].startswith("ligne 3 :") and "doit être positif" in errors[0]
    assert "Odars" in errors[0] and "période du 01/07/2025 au 30/06/2026" in errors[0]
    assert errors[1] == "ligne 4 : aucun appel ne porte le numéro 1999-0001."
    assert errors[2].startswith("ligne 5 : le SIREN 999999999")
    # 600 fits in the 951 € due, then 400 more would exceed it.
    assert errors[3].startswith("ligne 7 :") and "dépasse le reste dû" in errors[3]
    assert len(errors) == 4
    assert Payment.objects.count() == payments
    assert PaymentStatement.objects.count() == statements


@pytest.mark.django_db
def test_import_payments_command(tmp_path: Path, odars_calls):
    path = tmp_path / "releve.csv"
    path.write_text(HEADER + f"{date.today():%d/%m/%Y};475,00;TIT-A;{odars_calls[0].number};\n")
    out = StringIO()
    call_command("import_payments", str(path), stdout=out)
    assert "1 paiement enregistré" in out.getvalue()
    path.write_text(HEADER + f"{date.today():%d/%m/%Y};-1;TIT-A;{odars_calls[0].number};\n")
    with pytest.raises(CommandError, match=r"ligne 2 .*positif"):
        call_command("import_payments", str(path), stdout=StringIO())


@pytest.mark.django_db
def test_the_import_page_shows_row_errors(client, finance, odars_calls):
    client.force_login(finance)
    upload = SimpleUploadedFile(
        "releve.csv", (HEADER + "20/07/2027;abc;R;2024-0001;\n").encode(), "text/csv"
    )
    response = client.post("/contributions/paiements/import/", {"file": upload})
    assert response.status_code == 200
    assert "ligne 2, colonne montant" in response.content.decode()
    latin1 = SimpleUploadedFile("r.csv", "référence".encode("latin-1"), "text/csv")
    response = client.post("/contributions/paiements/import/", {"file": latin1})
    assert "UTF-8" in response.content.decode()


@pytest.mark.django_db
def test_balances_and_overdue_calls(client, finance, odars_calls):
    first, second, third = odars_calls
    pay(first, "475.00", by=finance)
    pay(second, "451.00", by=finance)
    rows = {b.name: b for b in services.balances(communes=Commune.objects.all(), today=TODAY)}
    odars = rows["Odars"]
    assert (odars.called, odars.paid, odars.balance) == (
        Decimal("2567.20"),
        Decimal("926.00"),
        Decimal("1641.20"),
    )
    assert odars.overdue == Decimal("1641.20")  # due 31/07/2027, unpaid on 15/08/2027
    assert services.balances(communes=Commune.objects.all(), today=AFTER_DEMO)
    overdue = Call.objects.overdue(TODAY).filter(commune__insee_code="31402")
    assert sorted(c.number for c in overdue) == sorted([second.number, third.number])
    # The dashboards' count agrees: the fully paid call is not counted, the partly paid one is.
    assert Call.objects.filter(commune__insee_code="31402").count_overdue(TODAY) == 2
    pay(second, "500.00", by=finance)
    assert Call.objects.filter(commune__insee_code="31402").count_overdue(TODAY) == 1
    client.force_login(finance)
    assert "Odars" in client.get("/contributions/soldes/").content.decode()


@pytest.mark.django_db
def test_the_demo_has_an_overdue_call(client, finance):
    today = timezone.localdate()
    assert Call.objects.overdue(today).exists()
    assert Call.objects.count_overdue(today) == Call.objects.overdue(today).count()
    client.force_login(finance)
    page = client.get("/contributions/impayes/").content.decode()
    assert Call.objects.overdue(today).first().number in page


@pytest.mark.django_db
def test_a_statement_with_a_nul_byte_or_an_implausible_date_is_refused(odars_calls):
    number = odars_calls[0].number
    with pytest.raises(StatementError, match="ligne 2 : caractère nul"):
        services.import_statement(
            text=HEADER + f"20/07/2027;475,00;TIT\x00A;{number};\n", filename="r.csv", by=None
        )
    with pytest.raises(StatementError, match="0001-01-01 n'est pas plausible"):
        services.import_statement(
            text=HEADER + f"01/01/0001;475,00;TIT-A;{number};\n", filename="r.csv", by=None
        )


@pytest.mark.django_db
def test_the_import_command_answers_a_non_utf8_file_in_french(tmp_path: Path, odars_calls):
    path = tmp_path / "relevé.csv"
    path.write_bytes((HEADER + "20/07/2027;475,00;Trésor;X;\n").encode("cp1252"))
    with pytest.raises(CommandError) as refused:
        call_command("import_payments", str(path), stdout=StringIO())
    assert str(refused.value) == (
        f"Le fichier {path} n'est pas en UTF-8 (octet invalide ligne 2) : enregistrez-le en "
        "UTF-8 (dans un tableur : « CSV UTF-8 »)."
    )
