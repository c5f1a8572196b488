"""Labège's people never see Odars' calls, PDFs, payments or balance: pages, exports, API.
Odars' manager sees Odars' own, and nothing of another commune."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.accounts.models import ApiToken
from mutualis.contributions import services
from mutualis.contributions.models import Payment
from mutualis.contributions.testing import call_of, credit_note_of
from mutualis.programme.services import shipped_programme


@pytest.fixture
def odars_money(odars, finance):
    note = credit_note_of(odars, by=finance)
    replacement = note.call.replaced_by
    payment = services.record_payment(
        call=replacement,
        amount=Decimal("100.00"),
        paid_on=date(2027, 7, 10),
        reference="TIT-ODARS",
        by=finance,
        today=date(2027, 8, 1),
    )
    return note.call, replacement, note, payment


def _api(client, user):
    _, key = ApiToken.issue(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["labege-manager", "labege-it"])
def test_labege_never_sees_odars_money_in_pages(client, odars_money, username):
    from mutualis.accounts.models import User

    cancelled, replacement, note, _ = odars_money
    client.force_login(User.objects.get(username=username))
    urls = [
        "/contributions/communes/31402/",
        "/contributions/communes/31402/jours/",
        f"/contributions/appels/{cancelled.pk}/",
        f"/contributions/appels/{replacement.pk}/pdf/",
        f"/contributions/avoirs/{note.pk}/pdf/",
        "/contributions/appels/",
        "/contributions/soldes/",
        "/contributions/impayes/",
        "/contributions/appels/export/?annee=2027",
        "/contributions/avoirs/export/?annee=2027&format=xlsx",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in {403, 404}, url
        assert b"Odars" not in response.content and b"%PDF" not in response.content, url
    for url in [f"/contributions/appels/{replacement.pk}/paiement/"]:
        response = client.post(url, {"amount": "1", "paid_on": "2027-07-01", "reference": "x"})
        assert response.status_code in {403, 404}


@pytest.mark.django_db
def test_labege_never_sees_odars_money_in_the_api(client, odars_money, labege_manager):
    _, replacement, _, _ = odars_money
    headers = _api(client, labege_manager)
    for url in [
        "/api/contributions/calls",
        "/api/contributions/credit-notes",
        "/api/contributions/payments",
        "/api/contributions/balances",
        "/api/contributions/days",
    ]:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert "Odars" not in response.content.decode() and "31402" not in response.content.decode()
    for url in [
        f"/api/contributions/calls/{replacement.number}",
        f"/api/contributions/calls/{replacement.number}/pdf",
        "/api/contributions/days/31402/summary",
    ]:
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert "Odars" not in response.content.decode()
    response = client.post(
        "/api/contributions/payments",
        data={"call": replacement.number, "amount": "1", "paid_on": "2027-07-01", "reference": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    response = client.post(
        "/api/contributions/days",
        data={
            "insee_code": "31402",
            "worked_on": "2026-01-05",
            "half_days": 1,
            "service_code": "x",
            "description": "y",
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_odars_manager_sees_odars_calls_pdfs_and_balance(client, odars_money, odars_manager):
    cancelled, replacement, note, _ = odars_money
    client.force_login(odars_manager)
    page = client.get("/contributions/communes/31402/").content.decode()
    assert cancelled.number in page and replacement.number in page and note.number in page
    assert "TIT-ODARS" in page
    pdf = client.get(f"/contributions/appels/{replacement.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    detail = client.get(f"/contributions/appels/{replacement.pk}/")
    assert detail.context["payment_form"] is None and detail.context["cancel_form"] is None
    assert client.get("/contributions/").url == "/contributions/communes/31402/"
    assert client.get("/contributions/communes/31254/").status_code == 404
    headers = _api(client, odars_manager)
    calls = client.get("/api/contributions/calls", headers=headers).json()["items"]
    assert {c["insee_code"] for c in calls} == {"31402"}
    assert {c["number"] for c in calls} == {cancelled.number, replacement.number}
    balances = client.get("/api/contributions/balances", headers=headers).json()
    assert [(b["name"], b["paid"]) for b in balances] == [("Odars", "100.00")]


@pytest.mark.django_db
def test_odars_agent_sees_no_calls(client, odars_money, odars_agent):
    client.force_login(odars_agent)
    assert client.get("/contributions/communes/31402/").status_code == 403
    assert client.get(f"/contributions/appels/{odars_money[1].pk}/").status_code == 404


@pytest.mark.django_db
def test_finance_records_a_payment_through_the_api_and_a_negative_one_is_refused(
    client, odars, finance
):
    call = call_of(odars, by=finance)
    headers = _api(client, finance)
    response = client.post(
        "/api/contributions/payments",
        data={"call": call.number, "amount": "-5", "paid_on": "2026-01-05", "reference": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    assert "Odars" in response.json()["detail"] and "positif" in response.json()["detail"]
    assert not Payment.objects.filter(call=call).exists()
    response = client.post(
        "/api/contributions/payments",
        data={"call": call.number, "amount": "475.00", "paid_on": "2026-01-05", "reference": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201 and response.json()["amount"] == "475.00"
    detail = client.get(f"/api/contributions/calls/{call.number}", headers=headers).json()
    assert (detail["amount"], detail["paid"], detail["outstanding"]) == ("475.00", "475.00", "0.00")


@pytest.mark.django_db
def test_labege_it_logs_days_through_the_api(client, labege_it):
    from mutualis.contributions.services import days_summary
    from mutualis.territory.models import Commune

    labege = Commune.objects.get(insee_code="31254")
    summary = days_summary(commune=labege, programme=shipped_programme())
    headers = _api(client, labege_it)
    response = client.post(
        "/api/contributions/days",
        data={
            "insee_code": "31254",
            "worked_on": summary.period.start.isoformat(),
            "half_days": 1,
            "service_code": "co-built-roadmap",
            "description": "Recueil des besoins",
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    summary_json = client.get("/api/contributions/days/31254/summary", headers=headers).json()
    assert summary_json["owed"] == str(summary.owed)


@pytest.mark.django_db
def test_the_api_simulator_reproduces_the_worked_example(client, labege_manager):
    headers = _api(client, labege_manager)
    data = client.get(
        "/api/contributions/schedule?insee_code=31402&start=2024-07-01&exit_requested=2025-03-01",
        headers=headers,
    ).json()
    assert [p["amount"] for p in data["periods"]] == ["475.00", "479.41"]
    refused = client.get(
        "/api/contributions/schedule?insee_code=31402&start=2028-01-01", headers=headers
    )
    assert refused.status_code == 400 and "en dehors du programme" in refused.json()["detail"]
