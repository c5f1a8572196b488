from datetime import date

import pytest

from mutualis.reviews.periods import period_containing, review_periods


def test_sicoval_programme_has_six_half_year_reviews():
    periods = review_periods(date(2024, 7, 1), date(2027, 6, 30), 6)
    assert [(p.start.isoformat(), p.end.isoformat()) for p in periods] == [
        ("2024-07-01", "2024-12-31"),
        ("2025-01-01", "2025-06-30"),
        ("2025-07-01", "2025-12-31"),
        ("2026-01-01", "2026-06-30"),
        ("2026-07-01", "2026-12-31"),
        ("2027-01-01", "2027-06-30"),
    ]


def test_last_period_stops_at_the_programme_end():
    periods = review_periods(date(2024, 7, 1), date(2025, 3, 15), 6)
    assert periods[-1].end == date(2025, 3, 15)


def test_period_containing_a_date():
    assert (
        period_containing(
            date(2025, 12, 31), start=date(2024, 7, 1), end=date(2027, 6, 30), months=6
        ).number
        == 3
    )
    assert (
        period_containing(date(2030, 1, 1), start=date(2024, 7, 1), end=date(2027, 6, 30), months=6)
        is None
    )


def test_invalid_period_is_refused():
    with pytest.raises(ValueError):
        review_periods(date(2024, 7, 1), date(2024, 1, 1), 6)


def test_a_calendar_half_year_is_named_as_a_semester():
    from mutualis.reviews.periods import period_name

    assert period_name(date(2025, 1, 1), date(2025, 6, 30)) == "1er semestre 2025"
    assert period_name(date(2024, 7, 1), date(2024, 12, 31)) == "2e semestre 2024"


def test_another_period_is_named_by_its_months():
    from mutualis.reviews.periods import period_name

    assert period_name(date(2024, 3, 1), date(2024, 8, 31)) == "mars 2024 – août 2024"
