"""The forecast: revenue and days per programme year for members and, as a what-if, the queue,
against the referent's annual cost; page (table + chart), CSV and API."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from mutualis.contributions.forecast import first_day_of_next_month, programme_forecast
from mutualis.contributions.testing import advanced_member
from mutualis.territory.models import Commune

QUEUE_START = date(2025, 1, 1)


def amounts(forecast, name):
    return [getattr(y, name) for y in forecast.years]


def added(after, before, name):
    return [a - b for a, b in zip(amounts(after, name), amounts(before, name), strict=True)]


@pytest.mark.django_db
def test_a_member_adds_its_schedule_to_the_programme_years_its_periods_start_in(programme, odars):
    before = programme_forecast(programme=programme, queue_start=QUEUE_START)
    advanced_member(odars)
    after = programme_forecast(programme=programme, queue_start=QUEUE_START)
    assert [y.label for y in after.years] == ["2024-2025", "2025-2026", "2026-2027"]
    added_ = added(after, before, "members_amount")
    assert added_ == [Decimal("475.00"), Decimal("951.00"), Decimal("1141.20")]
    assert after.members == before.members + 1
    assert amounts(after, "referent_cost") == [Decimal("52000.00")] * 3


@pytest.mark.django_db
def test_the_queue_is_a_what_if_starting_on_the_chosen_date(programme, odars):
    before = programme_forecast(programme=programme, queue_start=QUEUE_START)
    advanced_member(odars, status="queued", start=None)
    after = programme_forecast(programme=programme, queue_start=QUEUE_START)
    added_ = added(after, before, "queue_amount")
    # From 1 January 2025: 951 × 0.50, 951 × 1.00, then 951 × 1.20 × 181 / 365 (2027 estimated).
    assert added_ == [Decimal("475.50"), Decimal("951.00"), Decimal("565.91")]
    assert amounts(after, "members_amount") == amounts(before, "members_amount")
    assert after.queued == before.queued + 1


@pytest.mark.django_db
def test_days_in_kind_are_forecast_in_days(programme):
    escalquens = Commune.objects.get(insee_code="31169")
    before = programme_forecast(programme=programme, queue_start=QUEUE_START)
    advanced_member(escalquens, offer="advanced-with-it", start=date(2025, 9, 1))
    after = programme_forecast(programme=programme, queue_start=QUEUE_START)
    added_ = added(after, before, "members_days")
    assert added_ == [Decimal("0"), Decimal("24.0"), Decimal("20.0")]


@pytest.mark.django_db
def test_a_commune_without_population_is_listed_not_counted(programme, odars):
    ghost = Commune.objects.create(insee_code="31998", name="Sans-Population", epci=odars.epci)
    advanced_member(ghost)
    forecast = programme_forecast(programme=programme, queue_start=QUEUE_START)
    assert any(s.startswith("Sans-Population :") for s in forecast.skipped)


def test_first_day_of_next_month():
    assert first_day_of_next_month(date(2026, 11, 28)) == date(2026, 12, 1)
    assert first_day_of_next_month(date(2026, 12, 31)) == date(2027, 1, 1)


@pytest.mark.django_db
def test_forecast_page_has_a_table_a_chart_and_a_csv(client, coordinator, odars):
    advanced_member(odars)
    client.force_login(coordinator)
    page = client.get("/contributions/previsions/?queue_start=2025-01-01")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Coût du référent" in html and "2024-2025" in html
    response = client.get("/contributions/previsions.csv?queue_start=2025-01-01")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Année du programme"
    assert [r[0] for r in rows[1:]] == ["2024-2025", "2025-2026", "2026-2027"]
    assert rows[1][-1] == "52000,00"


@pytest.mark.django_db
def test_forecast_is_not_for_communes_or_observers(client, odars_manager, observer):
    for user in (odars_manager, observer):
        client.force_login(user)
        assert client.get("/contributions/previsions/").status_code == 403
        assert client.get("/api/contributions/forecast").status_code == 403
