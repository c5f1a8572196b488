"""Contract terms without a database: month arithmetic, tacit renewals, notice deadlines."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.purchasing.terms import add_months, current_term


def test_add_months_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 12, 31), -3) == date(2025, 9, 30)
    assert add_months(date(2025, 3, 15), 12) == date(2026, 3, 15)


def test_notice_deadline_is_the_notice_period_before_the_end():
    term = current_term(
        start=date(2023, 1, 1),
        end=date(2025, 12, 31),
        notice_months=3,
        tacit_renewal_months=None,
        today=date(2025, 6, 1),
    )
    assert (term.end, term.notice_deadline, term.renewals) == (
        date(2025, 12, 31),
        date(2025, 9, 30),
        0,
    )


def test_a_tacitly_renewed_contract_rolls_to_the_running_term():
    term = current_term(
        start=date(2022, 1, 1),
        end=date(2023, 12, 31),
        notice_months=2,
        tacit_renewal_months=12,
        today=date(2025, 3, 1),
    )
    assert (term.start, term.end, term.notice_deadline, term.renewals) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        date(2025, 10, 31),
        2,
    )


def test_renewals_stop_at_the_maximum():
    term = current_term(
        start=date(2020, 1, 1),
        end=date(2020, 12, 31),
        notice_months=1,
        tacit_renewal_months=12,
        today=date(2026, 1, 1),
        max_renewals=3,
    )
    assert term.end == date(2023, 12, 31) and term.renewals == 3


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=24),
    st.integers(min_value=1, max_value=60),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 12, 31)),
)
@settings(max_examples=300, deadline=None)
def test_the_running_term_of_a_tacit_contract_covers_today(start, days, notice, renewal, today):
    end = date.fromordinal(start.toordinal() + days)
    term = current_term(
        start=start, end=end, notice_months=notice, tacit_renewal_months=renewal, today=today
    )
    assert term.end >= today or term.end == end
    assert term.start <= term.end
    assert term.notice_deadline <= term.end
    if term.renewals:
        assert term.start <= today <= term.end
