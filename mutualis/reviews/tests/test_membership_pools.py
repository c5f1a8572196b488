"""The review's queue and capacity figures per pool, as of the period end."""

from datetime import date
from decimal import Decimal

import pytest

from mutualis.membership.enums import Status
from mutualis.membership.models import Membership, Transition
from mutualis.reviews.services import compute_review
from mutualis.territory.models import Commune

CURRENT_PERIOD = date(2026, 9, 1)  # review n° 5 (July–December 2026), a draft in the demo


def _membership(programme) -> dict:
    review, _ = compute_review(programme=programme, day=CURRENT_PERIOD)
    section = next(s for s in review.figures["sections"] if s["key"] == "membership")
    return {f["key"]: f for f in section["figures"]}


def _step(programme, insee: str, status: str, on: date, load: str | None = None) -> None:
    membership = Membership.objects.create(
        programme=programme,
        commune=Commune.objects.get(insee_code=insee),
        offer_code="advanced-without-it",
        status=status,
        estimated_load_days=Decimal(load) if load else None,
    )
    Transition.objects.create(membership=membership, to_status=status, on=on)


@pytest.mark.django_db
def test_queue_and_capacity_count_only_what_stood_at_the_end(programme):
    before = _membership(programme)
    _step(programme, "31437", Status.QUEUED, date(2026, 8, 1))  # Pouze, queued in the period
    _step(programme, "31171", Status.ADMITTED, date(2026, 10, 1), load="5.5")  # Espanès
    _step(programme, "31568", Status.ADMITTED, date(2027, 2, 1), load="7")  # Varennes, too late
    after = _membership(programme)
    assert after["queue_referent"]["value"] == before["queue_referent"]["value"] + 1
    assert after["capacity_used_days_referent"]["value"] == pytest.approx(
        before["capacity_used_days_referent"]["value"] + 5.5
    )
    days_per_year = float(programme.spec.pool_for_offer("advanced-without-it").days_per_year)
    assert after["capacity_used_percent_referent"]["value"] == pytest.approx(
        round(after["capacity_used_days_referent"]["value"] * 100 / days_per_year, 1)
    )
    assert after["queue_team"] == before["queue_team"]
