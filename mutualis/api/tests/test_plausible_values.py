"""The API refuses implausible values with a 422 or 400 naming them, never a 500."""

import pytest

from mutualis.accounts.models import ApiToken
from mutualis.contributions import services
from mutualis.contributions.models import Call, Payment
from mutualis.contributions.testing import AFTER_DEMO, advanced_member
from mutualis.core.validators import MAX_TEXT_LENGTH

REQUEST = {"insee_code": "31402", "category": "platform", "subject": "Écran", "description": "x"}


def _post(client, user, url, payload):
    _, key = ApiToken.issue(user=user, name="script")
    return client.post(
        url, payload, content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


@pytest.mark.django_db
def test_a_nul_character_in_a_text_field_is_a_422_naming_the_field(client, odars_manager):
    response = _post(client, odars_manager, "/api/support/requests", {**REQUEST, "subject": "a\0"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "subject"] and "caractère nul" in error["msg"]


@pytest.mark.django_db
def test_a_text_beyond_the_limit_is_a_422(client, odars_manager):
    payload = {**REQUEST, "description": "x" * (MAX_TEXT_LENGTH + 1)}
    response = _post(client, odars_manager, "/api/support/requests", payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "description"]


@pytest.mark.django_db
def test_a_nul_in_a_query_string_is_a_422(client, observer):
    _, key = ApiToken.issue(user=observer, name="script")
    response = client.get("/api/communes?q=a%00b", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 422


@pytest.mark.django_db
def test_a_payment_dated_year_one_is_refused(client, odars, finance):
    membership = advanced_member(odars)
    services.issue_calls(programme=membership.programme, on=AFTER_DEMO, by=finance)
    call = Call.objects.filter(commune=odars).order_by("period_start").first()
    payments = Payment.objects.count()
    payload = {"call": call.number, "amount": "10.00", "paid_on": "0001-01-01", "reference": "T"}
    response = _post(client, finance, "/api/contributions/payments", payload)
    assert response.status_code == 400
    assert "la date 0001-01-01 n'est pas plausible" in response.json()["detail"]
    assert Payment.objects.count() == payments


@pytest.mark.django_db
def test_days_dated_year_one_are_a_422_naming_the_date(client, labege_it):
    payload = {
        "insee_code": "31254",
        "worked_on": "0001-01-01",
        "half_days": 1,
        "service_code": "x",
        "description": "y",
    }
    response = _post(client, labege_it, "/api/contributions/days", payload)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "worked_on"
    assert "n'est pas plausible" in error["msg"]
