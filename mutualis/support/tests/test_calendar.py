"""French public holidays and the working-hours calculator, without Django."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.support.calendar import (
    WorkingCalendar,
    add_working_hours,
    add_working_seconds,
    french_holidays,
    working_hours_between,
    working_seconds_between,
)

SICOVAL = WorkingCalendar.from_settings(
    working_days=[1, 2, 3, 4, 5], working_hours=["08:30", "12:00", "13:30", "17:30"]
)


def test_ascension_on_labour_day_keeps_both_names():
    assert french_holidays(2008)[date(2008, 5, 1)] == "Ascension; Fête du Travail"


def test_french_holidays_of_2025():
    assert list(french_holidays(2025)) == [
        date(2025, 1, 1),
        date(2025, 4, 21),  # lundi de Pâques
        date(2025, 5, 1),
        date(2025, 5, 8),
        date(2025, 5, 29),  # Ascension
        date(2025, 6, 9),  # lundi de Pentecôte
        date(2025, 7, 14),
        date(2025, 8, 15),
        date(2025, 11, 1),
        date(2025, 11, 11),
        date(2025, 12, 25),
    ]


def test_only_metropolitan_holidays_count():
    # Alsace-Moselle's Good Friday and Saint-Étienne, and the overseas abolition days
    # (Martinique 22 May, Guadeloupe 27 May, Réunion 20 December) are working days here.
    year = french_holidays(2025)
    for day in [date(2025, 4, 18), date(2025, 12, 26), date(2025, 5, 22), date(2025, 5, 27)]:
        assert day not in year
        assert SICOVAL.is_working_day(day)
    assert date(2025, 12, 20) not in year


def test_whit_monday_was_worked_from_2005_to_2007():
    assert date(2006, 6, 5) not in french_holidays(2006)
    assert french_holidays(2008)[date(2008, 5, 12)] == "Lundi de Pentecôte"


@given(st.integers(min_value=2008, max_value=2100))
@settings(max_examples=200, deadline=None)
def test_every_year_has_eleven_holidays_with_easter_based_ones_in_place(year):
    holidays = french_holidays(year)
    by_name = {name: day for day, names in holidays.items() for name in names.split("; ")}
    # Eleven holidays, on ten days when Ascension falls on 1 or 8 May.
    assert len(by_name) == 11
    ascension = by_name["Ascension"]
    assert len(holidays) == (10 if (ascension.month, ascension.day) in {(5, 1), (5, 8)} else 11)
    easter_monday = by_name["Lundi de Pâques"]
    assert easter_monday.isoweekday() == 1
    assert date(year, 3, 23) <= easter_monday <= date(year, 4, 26)
    assert ascension == easter_monday + timedelta(days=38)
    assert ascension.isoweekday() == 4
    assert by_name["Lundi de Pentecôte"] == easter_monday + timedelta(days=49)


def test_a_full_working_day_is_seven_and_a_half_hours():
    monday = datetime(2025, 3, 3, 0, 0)
    assert working_hours_between(monday, monday + timedelta(days=1), SICOVAL) == Decimal("7.5")


def test_lunch_break_weekend_and_holiday_do_not_count():
    # Friday 2 May 2025, 16:00 → Tuesday 6 May 10:00 : 1.5 h on Friday, Monday 7.5 h, 1.5 h Tuesday
    assert working_hours_between(
        datetime(2025, 5, 2, 16, 0), datetime(2025, 5, 6, 10, 0), SICOVAL
    ) == Decimal("10.5")
    # Wednesday 7 May 17:00 → Friday 9 May 09:00 : Thursday 8 May is a holiday
    assert working_hours_between(
        datetime(2025, 5, 7, 17, 0), datetime(2025, 5, 9, 9, 0), SICOVAL
    ) == Decimal("1")
    # 11:30 → 14:00 the same day: 30 min before noon, 30 min after the break
    assert working_hours_between(
        datetime(2025, 5, 6, 11, 30), datetime(2025, 5, 6, 14, 0), SICOVAL
    ) == Decimal("1")


def test_a_request_opened_on_friday_evening_is_due_on_monday():
    # Critical target of 2 working hours, opened Friday 18:00 → due Monday 10:30
    opened = datetime(2025, 3, 7, 18, 0)
    assert add_working_hours(opened, 2, SICOVAL) == datetime(2025, 3, 10, 10, 30)


def test_a_target_over_easter_monday_skips_it():
    # Thursday 17 April 2025, 17:00 + 8 h: 0.5 h Thursday, Friday 7.5 h → Friday 17:30
    assert add_working_hours(datetime(2025, 4, 17, 17, 0), 8, SICOVAL) == datetime(
        2025, 4, 18, 17, 30
    )
    # + 9 h: Monday 21 is Easter Monday → Tuesday 22 at 09:30
    assert add_working_hours(datetime(2025, 4, 17, 17, 0), 9, SICOVAL) == datetime(
        2025, 4, 22, 9, 30
    )


def test_a_target_ending_at_noon_is_noon_not_the_afternoon():
    assert add_working_hours(datetime(2025, 3, 3, 8, 30), Decimal("3.5"), SICOVAL) == datetime(
        2025, 3, 3, 12, 0
    )


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        (["08:30"], "par paires"),
        (["08:30", "12:00", "13:30"], "par paires"),
        (["12:00", "08:30"], "dans l'ordre"),
        (["08:30", "12:00", "11:00", "17:30"], "dans l'ordre"),
        (["8h30", "12:00"], "HH:MM"),
    ],
)
def test_a_wrong_calendar_is_refused_with_a_french_message(hours, problem):
    with pytest.raises(ValueError, match=problem):
        WorkingCalendar.from_settings(working_days=[1, 2, 3, 4, 5], working_hours=hours)


def test_an_unknown_holiday_country_is_refused():
    with pytest.raises(ValueError, match="français"):
        WorkingCalendar.from_settings(
            working_days=[1], working_hours=["08:00", "12:00"], country="DE"
        )


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31))
calendars = st.sampled_from(
    [
        SICOVAL,
        WorkingCalendar.from_settings(
            working_days=[1, 2, 3, 4, 5, 6], working_hours=["09:00", "17:00"]
        ),
        WorkingCalendar.from_settings(
            working_days=[2, 4], working_hours=["07:00", "07:15", "20:00", "23:59"]
        ),
    ]
)


@given(moments, st.integers(min_value=0, max_value=400 * 3600), calendars)
@settings(max_examples=300, deadline=None)
def test_adding_working_time_then_measuring_it_gives_it_back(start, seconds, calendar):
    deadline = add_working_seconds(start, seconds, calendar)
    assert deadline >= start
    assert working_seconds_between(start, deadline, calendar) == seconds


@given(moments, moments, moments, calendars)
@settings(max_examples=300, deadline=None)
def test_working_time_adds_up_over_consecutive_intervals(a, b, c, calendar):
    a, b, c = sorted([a, b, c])
    assert working_seconds_between(a, b, calendar) + working_seconds_between(
        b, c, calendar
    ) == working_seconds_between(a, c, calendar)


@given(moments, moments, calendars)
@settings(max_examples=300, deadline=None)
def test_working_time_never_exceeds_elapsed_time_nor_counts_non_working_days(a, b, calendar):
    a, b = sorted([a, b])
    seconds = working_seconds_between(a, b, calendar)
    assert 0 <= seconds <= (b.replace(microsecond=0) - a.replace(microsecond=0)).total_seconds()
    working_days = sum(
        1
        for n in range((b.date() - a.date()).days + 1)
        if calendar.is_working_day(a.date() + timedelta(days=n))
    )
    assert seconds <= working_days * calendar._seconds_per_day


@given(moments, st.integers(min_value=1, max_value=100 * 3600), calendars)
@settings(max_examples=200, deadline=None)
def test_a_deadline_always_falls_inside_working_time(start, seconds, calendar):
    deadline = add_working_seconds(start, seconds, calendar)
    assert calendar.is_working_day(deadline.date())
    assert any(s < deadline.time() <= e for s, e in calendar.slots)
