"""The membership rules that need no database: priority, load, start date, exit terms, queue order."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from mutualis.membership.capacity import QueueEntry, order_queue
from mutualis.membership.models import add_months
from mutualis.membership.rules import estimated_load, exit_terms, has_priority, membership_start

PRIORITY = {
    "priority_decided_until": date(2024, 12, 31),
    "commitment_letter_deadline": date(2024, 6, 30),
}


@pytest.mark.parametrize(
    ("co_construction", "letter", "decided_on", "expected"),
    [
        (True, date(2024, 2, 12), date(2024, 6, 3), True),
        (True, date(2024, 6, 30), date(2024, 12, 31), True),
        (True, date(2024, 7, 1), date(2024, 9, 1), False),  # letter too late
        (False, date(2024, 2, 1), date(2024, 9, 1), False),  # no co-construction
        (True, None, date(2024, 9, 1), False),
        (True, date(2024, 2, 12), date(2025, 1, 1), False),  # decided after 2024: no group
    ],
)
def test_priority_goes_to_co_builders_with_an_early_letter_until_the_end_of_2024(
    co_construction, letter, decided_on, expected
):
    assert (
        has_priority(
            co_construction=co_construction,
            commitment_letter_date=letter,
            decided_on=decided_on,
            **PRIORITY,
        )
        is expected
    )


def test_estimated_load_is_a_base_plus_a_share_per_thousand_inhabitants():
    assert estimated_load(
        base_load_days=Decimal(8), load_per_1000_inhabitants=Decimal("2.5"), population=951
    ) == Decimal("10.4")
    assert estimated_load(
        base_load_days=Decimal(10), load_per_1000_inhabitants=Decimal("0.5"), population=None
    ) == Decimal("10.0")
    # half up at the tenth of a day: 8 + 2.5 × 1.650 = 12.125 → 12.1; 8 + 2.5 × 1.70 = 12.25 → 12.3
    assert estimated_load(
        base_load_days=Decimal(8), load_per_1000_inhabitants=Decimal("2.5"), population=1700
    ) == Decimal("12.3")


@pytest.mark.parametrize(
    ("signed_on", "rule", "expected"),
    [
        (date(2024, 6, 20), "first_day_of_next_month", date(2024, 7, 1)),
        (date(2024, 8, 31), "first_day_of_next_month", date(2024, 9, 1)),
        (date(2024, 12, 3), "first_day_of_next_month", date(2025, 1, 1)),
        (date(2024, 5, 2), "first_day_of_next_month", date(2024, 7, 1)),  # not before the programme
        (date(2024, 9, 17), "signature_date", date(2024, 9, 17)),
    ],
)
def test_membership_starts_on_the_first_day_of_the_next_month_by_default(signed_on, rule, expected):
    assert (
        membership_start(signed_on=signed_on, rule=rule, programme_start=date(2024, 7, 1))
        == expected
    )


def test_an_unknown_start_rule_is_refused():
    with pytest.raises(ValueError, match="inconnue"):
        membership_start(
            signed_on=date(2024, 1, 1), rule="someday", programme_start=date(2024, 1, 1)
        )


EXIT = {"free_exit_date": date(2025, 12, 31), "programme_end": date(2027, 6, 30)}


def test_exit_asked_on_or_before_the_free_exit_date_is_free_on_that_date():
    for asked in (date(2024, 9, 1), date(2025, 12, 31)):
        terms = exit_terms(asked_on=asked, started=True, is_base=False, **EXIT)
        assert (terms.kind, terms.effective) == ("free", date(2025, 12, 31))
        assert "sans frais" in terms.explanation


def test_exit_asked_after_the_free_exit_date_is_committed_to_the_programme_end():
    terms = exit_terms(asked_on=date(2026, 1, 1), started=True, is_base=False, **EXIT)
    assert (terms.kind, terms.effective) == ("committed", date(2027, 6, 30))
    assert "30/06/2027" in terms.explanation


def test_exit_before_the_start_withdraws_and_the_base_offer_is_left_at_once():
    assert exit_terms(asked_on=date(2026, 3, 1), started=False, is_base=False, **EXIT).kind == (
        "withdrawal"
    )
    base = exit_terms(asked_on=date(2026, 3, 1), started=True, is_base=True, **EXIT)
    assert (base.kind, base.effective) == ("immediate", date(2026, 3, 1))


def test_appeal_deadline_adds_two_months_clamped_to_the_month_end():
    assert add_months(date(2024, 5, 24), 2) == date(2024, 7, 24)
    assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 2) == date(2025, 1, 30)


def _entry(pk, applied, priority=False, override=None):
    membership = SimpleNamespace(pk=pk, applied_on=applied, created_at=datetime(2024, 1, 1))
    return QueueEntry(membership=membership, priority=priority, load=Decimal(10), override=override)


def test_queue_puts_priority_first_then_earlier_applications():
    entries = [
        _entry(1, date(2024, 5, 1)),
        _entry(2, date(2024, 6, 1), priority=True),
        _entry(3, date(2024, 4, 1)),
    ]
    assert [e.membership.pk for e in order_queue(entries)] == [2, 3, 1]
    assert [e.position for e in order_queue(entries)] == [1, 2, 3]


def test_a_coordinator_override_places_an_application_at_its_rank():
    override = SimpleNamespace(position=1, at=datetime(2024, 7, 1), pk=1)
    entries = [
        _entry(1, date(2024, 5, 1)),
        _entry(2, date(2024, 6, 1), priority=True),
        _entry(3, date(2024, 4, 1), override=override),
    ]
    assert [e.membership.pk for e in order_queue(entries)] == [3, 2, 1]
    far = SimpleNamespace(position=99, at=datetime(2024, 7, 1), pk=2)
    entries[2].override = far
    assert [e.membership.pk for e in order_queue(entries)] == [2, 1, 3]


def test_commune_names_take_the_right_preposition():
    from mutualis.membership.rules import of_place

    assert of_place("Odars") == "d'Odars"
    assert of_place("Escalquens") == "d'Escalquens"
    assert of_place("Labège") == "de Labège"
    assert of_place("Haute-Goulaine") == "de Haute-Goulaine"
