"""Examples of contribution schedules: PRODUCT.md's worked example and every edge the rules name."""

import dataclasses
from datetime import date
from decimal import Decimal, localcontext

import pytest

from mutualis.contributions.schedule import (
    ContributionRules,
    InvalidPopulation,
    InvalidRules,
    NoPopulation,
    PaidIn,
    ScheduleError,
    StartOutsideProgramme,
    add_years,
    compute_schedule,
    effective_exit_date,
    membership_periods,
)


def sicoval_2024() -> ContributionRules:
    """Test helper: the Sicoval 2024 programme's contribution rules, as in
    programmes/sicoval-2024.toml (production builds them from that file)."""
    return ContributionRules(
        programme_start=date(2024, 7, 1),
        programme_end=date(2027, 6, 30),
        free_exit_date=date(2025, 12, 31),
        rates=(Decimal("0.50"), Decimal("1.00"), Decimal("1.20")),
        days_per_year=Decimal("24"),
        days_rounding_step=Decimal("0.5"),
        money_quantum=Decimal("0.01"),
    )


RULES = sicoval_2024()
# The same programme had it opened on 1 January 2024, for starts in a leap-year winter.
EARLY_RULES = dataclasses.replace(RULES, programme_start=date(2024, 1, 1))
ODARS = {2024: 950, 2025: 951, 2026: 951}
JULY_2024 = date(2024, 7, 1)


def euros(**kwargs):
    kwargs.setdefault("rules", RULES)
    kwargs.setdefault("populations", ODARS)
    return compute_schedule(paid_in=PaidIn.EUROS, **kwargs)


def days(**kwargs):
    kwargs.setdefault("rules", RULES)
    kwargs.setdefault("populations", {})
    return compute_schedule(paid_in=PaidIn.DAYS, **kwargs)


def spans(schedule):
    return [(p.start, p.end) for p in schedule.periods]


# --- PRODUCT.md's worked example -------------------------------------------------------------


def test_worked_example_odars_from_july_2024_owes_2567_20():
    schedule = euros(start=JULY_2024)

    assert spans(schedule) == [
        (date(2024, 7, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2027, 6, 30)),
    ]
    assert [p.amount for p in schedule.periods] == [
        Decimal("475.00"),
        Decimal("951.00"),
        Decimal("1141.20"),
    ]
    assert schedule.total_amount == Decimal("2567.20")
    assert [p.membership_year for p in schedule.periods] == [1, 2, 3]
    assert [p.rate for p in schedule.periods] == [Decimal("0.50"), Decimal("1.00"), Decimal("1.20")]
    assert [(p.population, p.population_vintage) for p in schedule.periods] == [
        (950, 2024),
        (951, 2025),
        (951, 2026),
    ]
    assert not any(p.population_estimated for p in schedule.periods)
    assert not any(p.is_prorated for p in schedule.periods)
    assert schedule.effective_exit is None
    assert schedule.total_days_owed is None


@pytest.mark.parametrize("asked", [date(2024, 7, 1), date(2025, 3, 15), date(2025, 12, 31)])
def test_worked_example_exit_asked_in_2025_owes_954_41(asked):
    schedule = euros(start=JULY_2024, exit_requested=asked)

    assert spans(schedule) == [
        (date(2024, 7, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 12, 31)),
    ]
    # 951 × 184 / 365 = 479.408… → 479.41
    assert [p.amount for p in schedule.periods] == [Decimal("475.00"), Decimal("479.41")]
    assert (schedule.periods[1].days_served, schedule.periods[1].days_in_period) == (184, 365)
    assert schedule.periods[1].is_prorated
    assert schedule.total_amount == Decimal("954.41")
    assert schedule.effective_exit == date(2025, 12, 31)


def test_worked_example_as_a_dict_has_the_documented_shape():
    data = euros(start=JULY_2024, exit_requested=date(2025, 6, 1)).to_dict("31402", "sans-dsi")

    assert data == {
        "insee_code": "31402",
        "offer": "sans-dsi",
        "periods": [
            {
                "start": "2024-07-01",
                "end": "2025-06-30",
                "membership_year": 1,
                "population": 950,
                "population_vintage": 2024,
                "population_estimated": False,
                "rate": "0.50",
                "days_served": 365,
                "days_in_period": 365,
                "amount": "475.00",
                "days_owed": None,
            },
            {
                "start": "2025-07-01",
                "end": "2025-12-31",
                "membership_year": 2,
                "population": 951,
                "population_vintage": 2025,
                "population_estimated": False,
                "rate": "1.00",
                "days_served": 184,
                "days_in_period": 365,
                "amount": "479.41",
                "days_owed": None,
            },
        ],
        "total_amount": "954.41",
        "total_days_owed": None,
    }


def test_a_callers_decimal_context_does_not_change_the_amounts():
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = "ROUND_DOWN"
        schedule = euros(start=JULY_2024, exit_requested=date(2025, 1, 1))

    assert schedule.total_amount == Decimal("954.41")


# --- Exit ------------------------------------------------------------------------------------


def test_exit_asked_on_the_free_exit_date_takes_effect_that_day():
    schedule = euros(start=JULY_2024, exit_requested=date(2025, 12, 31))

    assert schedule.effective_exit == date(2025, 12, 31)
    assert schedule.periods[-1].end == date(2025, 12, 31)


def test_exit_asked_the_day_after_the_free_exit_date_takes_effect_at_programme_end():
    schedule = euros(start=JULY_2024, exit_requested=date(2026, 1, 1))

    assert schedule.effective_exit == date(2027, 6, 30)
    assert spans(schedule) == spans(euros(start=JULY_2024))
    assert schedule.total_amount == Decimal("2567.20")


def test_exit_asked_after_programme_end_changes_nothing():
    schedule = euros(start=JULY_2024, exit_requested=date(2028, 1, 1))

    assert schedule.effective_exit == date(2027, 6, 30)
    assert schedule.total_amount == Decimal("2567.20")


def test_exit_asked_before_membership_starts_withdraws_the_application():
    schedule = euros(start=JULY_2024, exit_requested=date(2024, 6, 30))

    assert schedule.periods == ()
    assert schedule.withdrawn
    assert schedule.effective_exit is None
    assert schedule.total_amount == Decimal("0.00")
    assert str(schedule.total_amount) == "0.00"


def test_exit_asked_before_a_start_later_than_the_free_exit_date_withdraws_too():
    schedule = euros(start=date(2026, 3, 1), exit_requested=date(2026, 2, 1))

    assert schedule.withdrawn


def test_exit_asked_on_the_start_day_is_not_a_withdrawal():
    schedule = euros(start=date(2025, 12, 1), exit_requested=date(2025, 12, 1))

    assert spans(schedule) == [(date(2025, 12, 1), date(2025, 12, 31))]
    assert not schedule.withdrawn


def test_effective_exit_date_covers_each_case():
    def effective(asked):
        return effective_exit_date(rules=RULES, start=JULY_2024, exit_requested=asked)

    assert effective(date(2024, 6, 30)) is None
    assert effective(JULY_2024) == date(2025, 12, 31)
    assert effective(date(2025, 12, 31)) == date(2025, 12, 31)
    assert effective(date(2026, 1, 1)) == date(2027, 6, 30)


# --- Period boundaries -----------------------------------------------------------------------


def test_add_years_moves_29_february_to_1_march_in_a_common_year():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 7, 1), 1) == date(2025, 7, 1)
    assert add_years(date(2025, 2, 28), 1) == date(2026, 2, 28)


def test_start_on_29_february_ends_on_28_february_and_the_next_starts_on_1_march():
    schedule = euros(rules=EARLY_RULES, start=date(2024, 2, 29))

    assert spans(schedule) == [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2027, 3, 1), date(2027, 6, 30)),
    ]
    first, _second, third, fourth = schedule.periods
    # 29 Feb 2024 → 28 Feb 2025 holds 366 days; 1 Mar 2027 → 29 Feb 2028 holds 366 too.
    assert [p.days_in_period for p in schedule.periods] == [366, 365, 365, 366]
    assert not first.is_prorated and first.amount == Decimal("475.00")
    # A fourth membership year keeps the last rate: 951 × 1.20 × 122 / 366 = 380.40
    assert (fourth.membership_year, fourth.rate) == (4, Decimal("1.20"))
    assert (fourth.days_served, fourth.amount) == (122, Decimal("380.40"))
    # No 2027 vintage is loaded: the fourth period uses 2026's, flagged as estimated.
    assert (fourth.population_vintage, fourth.population_estimated) == (2026, True)
    assert (third.population_vintage, third.population_estimated) == (2026, False)


def test_a_full_period_containing_29_february_is_366_days_and_not_prorated():
    schedule = euros(rules=EARLY_RULES, start=date(2024, 1, 1))

    first = schedule.periods[0]
    assert (first.start, first.end, first.days_served, first.days_in_period) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        366,
        366,
    )
    assert first.amount == Decimal("475.00")


def test_membership_periods_are_empty_when_until_is_before_start():
    assert membership_periods(date(2024, 7, 1), date(2024, 6, 30)) == ()


def test_membership_periods_cut_the_last_one_at_until():
    bounds = membership_periods(date(2024, 7, 1), date(2025, 7, 1))

    assert [(b.start, b.end, b.days_served, b.days_in_period) for b in bounds] == [
        (date(2024, 7, 1), date(2025, 6, 30), 365, 365),
        (date(2025, 7, 1), date(2025, 7, 1), 1, 365),
    ]


# --- Start inside the programme --------------------------------------------------------------


@pytest.mark.parametrize("start", [date(2024, 6, 30), date(2027, 7, 1)])
def test_start_outside_the_programme_is_refused(start):
    with pytest.raises(StartOutsideProgramme) as caught:
        euros(start=start)

    assert caught.value.start == start
    assert isinstance(caught.value, ScheduleError)
    assert "en dehors du programme" in str(caught.value)


def test_start_on_the_last_programme_day_owes_one_day():
    schedule = euros(start=date(2027, 6, 30), populations={2027: 365})
    (period,) = schedule.periods

    # Its full period would run to 29 June 2028, over 29 February 2028: 366 days.
    assert (period.days_served, period.days_in_period) == (1, 366)
    # 365 × 0.50 / 366 = 0.4986… → 0.50
    assert period.amount == Decimal("0.50")


# --- Population ------------------------------------------------------------------------------


def test_a_missing_vintage_uses_the_most_recent_earlier_one_and_is_estimated():
    schedule = euros(start=JULY_2024, populations={2023: 900, 2024: 950, 2027: 2000})

    assert [(p.population_vintage, p.population_estimated) for p in schedule.periods] == [
        (2024, False),
        (2024, True),
        (2024, True),
    ]
    # 950 × 1.00 and 950 × 1.20: the later 2027 vintage is never used for 2025 or 2026.
    assert [p.amount for p in schedule.periods][1:] == [Decimal("950.00"), Decimal("1140.00")]


def test_no_vintage_up_to_the_period_year_raises_an_error_naming_the_period():
    with pytest.raises(NoPopulation) as caught:
        euros(start=JULY_2024, populations={2025: 951, 2026: 951})

    error = caught.value
    assert (error.period_start, error.period_end, error.year) == (
        date(2024, 7, 1),
        date(2025, 6, 30),
        2024,
    )
    assert "01/07/2024" in str(error) and "30/06/2025" in str(error) and "2024" in str(error)


def test_a_negative_population_is_refused():
    with pytest.raises(InvalidPopulation):
        euros(start=JULY_2024, populations={2024: -1})


def test_a_population_of_zero_owes_nothing():
    schedule = euros(start=JULY_2024, populations={2024: 0})

    assert schedule.total_amount == Decimal("0.00")


def test_money_rounds_half_up_to_the_cent():
    rules = dataclasses.replace(RULES, rates=(Decimal("0.005"),))

    # One inhabitant × 0.005 is exactly half a cent: half-up gives 0.01 (half-even would give 0).
    assert euros(rules=rules, start=JULY_2024, populations={2024: 1}).periods[0].amount == (
        Decimal("0.01")
    )
    # Pro-rated: 366 inhabitants × 0.005 × 1 day / 366 days = 0.005 exactly, a tie too.
    last_day = euros(rules=rules, start=date(2027, 6, 30), populations={2027: 366})
    assert last_day.periods[0].amount == Decimal("0.01")


# --- Days in kind ----------------------------------------------------------------------------


def test_days_in_kind_owes_24_days_per_full_membership_year_and_no_money():
    schedule = days(start=JULY_2024)

    assert [p.days_owed for p in schedule.periods] == [Decimal("24.0")] * 3
    assert schedule.total_days_owed == Decimal("72.0")
    assert schedule.total_amount is None
    assert all(
        p.amount is None and p.rate is None and p.population is None for p in schedule.periods
    )
    data = schedule.to_dict("31113", "avec-dsi")
    assert data["total_amount"] is None and data["total_days_owed"] == "72.0"
    assert data["periods"][0]["days_owed"] == "24.0"
    assert data["periods"][0]["amount"] is None and data["periods"][0]["rate"] is None
    assert data["periods"][0]["population"] is None
    assert data["periods"][0]["population_estimated"] is None


def test_days_in_kind_needs_no_population():
    assert days(start=JULY_2024, populations={}).total_days_owed == Decimal("72.0")


def test_days_in_kind_short_last_period_rounds_to_the_nearest_half_day():
    # From 1 October 2024 the third period runs 1 Oct 2026 → 30 Jun 2027: 273 of 365 days.
    # 24 × 273 / 365 = 17.95… → 18.0
    schedule = days(start=date(2024, 10, 1))
    assert (schedule.periods[-1].days_served, schedule.periods[-1].days_owed) == (
        273,
        Decimal("18.0"),
    )
    assert schedule.total_days_owed == Decimal("66.0")

    # An exit asked in 2025 after a start on 1 July 2025 ends it on 31 December:
    # 24 × 184 / 365 = 12.09… → 12.0
    assert days(start=date(2025, 7, 1), exit_requested=date(2025, 9, 1)).periods[
        -1
    ].days_owed == Decimal("12.0")

    # From 14 June 2025 the third period runs 14 → 30 June 2027, 17 of 366 days (its full
    # length spans 29 February 2028): 24 × 17 / 366 = 1.11… → 1.0
    assert days(start=date(2025, 6, 14)).periods[-1].days_owed == Decimal("1.0")

    # From 1 December 2024 the third period runs 1 Dec 2026 → 30 Jun 2027, 212 of 365 days:
    # 24 × 212 / 365 = 13.93… → 14.0; from 20 December: 193 days, 12.69… → 12.5
    assert days(start=date(2024, 12, 1)).periods[-1].days_owed == Decimal("14.0")
    assert days(start=date(2024, 12, 20)).periods[-1].days_owed == Decimal("12.5")


def test_days_in_kind_rounds_a_quarter_day_tie_up():
    # 3.66 days a year over 25 of 366 days is exactly 0.25: half-up gives 0.5 (half-even 0.0).
    rules = dataclasses.replace(RULES, days_per_year=Decimal("3.66"))
    (period,) = days(rules=rules, start=date(2027, 6, 6)).periods

    assert (period.days_served, period.days_in_period) == (25, 366)
    assert period.days_owed == Decimal("0.5")


# --- Rules -----------------------------------------------------------------------------------


def test_rules_refuse_a_free_exit_date_after_the_programme_end():
    with pytest.raises(InvalidRules):
        dataclasses.replace(RULES, free_exit_date=date(2027, 7, 1))


def test_rules_refuse_a_negative_rate_and_an_empty_rate_schedule():
    with pytest.raises(InvalidRules, match="année d'adhésion 2"):
        dataclasses.replace(RULES, rates=(Decimal("0.50"), Decimal("-1")))
    with pytest.raises(InvalidRules):
        dataclasses.replace(RULES, rates=())


def test_rules_refuse_a_non_positive_rounding_step():
    with pytest.raises(InvalidRules):
        dataclasses.replace(RULES, days_rounding_step=Decimal(0))


def test_a_renewed_membership_year_counts_from_the_first_programme():
    from mutualis.contributions.schedule import first_membership_year

    assert first_membership_year(first_start=date(2024, 7, 1), start=date(2027, 7, 1)) == 4
    assert first_membership_year(first_start=date(2024, 10, 1), start=date(2027, 7, 1)) == 3
    assert first_membership_year(first_start=date(2024, 2, 29), start=date(2025, 3, 1)) == 2


def test_periods_of_a_renewal_start_at_its_membership_year():
    from mutualis.contributions.schedule import membership_periods

    periods = membership_periods(date(2027, 7, 1), date(2029, 6, 30), first_year=4)
    assert [p.membership_year for p in periods] == [4, 5]
