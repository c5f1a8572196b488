"""Invariants of every contribution schedule, checked on generated communes, starts and exits."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.contributions.schedule import (
    ContributionRules,
    NoPopulation,
    PaidIn,
    add_years,
    compute_schedule,
    membership_periods,
)
from mutualis.contributions.tests.test_schedule import sicoval_2024

RULES = sicoval_2024()
ONE_DAY = timedelta(days=1)

starts = st.dates(RULES.programme_start, RULES.programme_end)
exits = st.none() | st.dates(date(2023, 6, 1), date(2028, 12, 31))
# Always a vintage up to the start year, so that these schedules can be computed.
populations = st.dictionaries(st.integers(2020, 2028), st.integers(0, 3_000_000), max_size=6).map(
    lambda pops: {2023: 1_000, **pops} if not any(v <= 2024 for v in pops) else pops
)
paid_ins = st.sampled_from(list(PaidIn))


@st.composite
def any_rules(draw) -> ContributionRules:
    """Programmes other than the Sicoval's: other dates, rate schedules and rounding steps."""
    programme_start = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    programme_end = programme_start + timedelta(days=draw(st.integers(0, 6 * 366)))
    free_exit = programme_start + timedelta(
        days=draw(st.integers(0, (programme_end - programme_start).days))
    )
    rate = st.integers(0, 500).map(lambda cents: Decimal(cents).scaleb(-2))
    return ContributionRules(
        programme_start=programme_start,
        programme_end=programme_end,
        free_exit_date=free_exit,
        rates=tuple(draw(st.lists(rate, min_size=1, max_size=5))),
        days_per_year=Decimal(draw(st.integers(0, 60))),
        days_rounding_step=draw(st.sampled_from([Decimal("0.5"), Decimal("1"), Decimal("0.25")])),
        money_quantum=Decimal("0.01"),
    )


SETTINGS = settings(max_examples=300, deadline=None, database=None)


def half_up(value: Fraction, step: Decimal) -> Decimal:
    """Reference rounding, by exact fractions, independent of the module's Decimal path."""
    steps = value / Fraction(step)
    whole = (steps.numerator * 2 + steps.denominator) // (steps.denominator * 2)
    return (Decimal(whole) * step).quantize(step, rounding=ROUND_HALF_UP)


def schedule_for(start, exit_requested, pops, paid_in):
    return compute_schedule(
        rules=RULES,
        start=start,
        paid_in=paid_in,
        populations=pops,
        exit_requested=exit_requested,
    )


@SETTINGS
@given(start=starts, exit_requested=exits, pops=populations, paid_in=paid_ins)
def test_periods_follow_each_other_without_gap_or_overlap(start, exit_requested, pops, paid_in):
    periods = schedule_for(start, exit_requested, pops, paid_in).periods

    if periods:
        assert periods[0].start == start
    for previous, following in pairwise(periods):
        assert following.start == previous.end + ONE_DAY
    for index, period in enumerate(periods, start=1):
        assert period.start <= period.end
        assert period.membership_year == index
        assert period.days_served == (period.end - period.start).days + 1
        assert period.days_in_period == (add_years(period.start, 1) - period.start).days
        assert period.days_in_period in (365, 366)


@SETTINGS
@given(start=starts, exit_requested=exits, pops=populations, paid_in=paid_ins)
def test_nothing_is_owed_after_the_exit_or_the_programme_end(start, exit_requested, pops, paid_in):
    schedule = schedule_for(start, exit_requested, pops, paid_in)

    withdrawn = exit_requested is not None and exit_requested < start
    assert schedule.withdrawn == withdrawn
    if withdrawn:
        return
    last_day = schedule.periods[-1].end
    assert last_day <= RULES.programme_end
    if exit_requested is None:
        assert schedule.effective_exit is None
        assert last_day == RULES.programme_end
    else:
        assert last_day == schedule.effective_exit
        if exit_requested <= RULES.free_exit_date:
            assert last_day == RULES.free_exit_date
        else:
            assert last_day == RULES.programme_end


@SETTINGS
@given(start=starts, pops=populations, paid_in=paid_ins)
def test_without_exit_the_schedule_covers_start_to_programme_end_exactly(start, pops, paid_in):
    periods = schedule_for(start, None, pops, paid_in).periods

    assert periods[0].start == start
    assert periods[-1].end == RULES.programme_end
    covered = sum(p.days_served for p in periods)
    assert covered == (RULES.programme_end - start).days + 1


@SETTINGS
@given(start=starts, exit_requested=exits, pops=populations, paid_in=paid_ins)
def test_only_a_period_cut_short_is_prorated(start, exit_requested, pops, paid_in):
    periods = schedule_for(start, exit_requested, pops, paid_in).periods

    for period in periods[:-1]:
        assert not period.is_prorated
    for period in periods:
        if period.is_prorated:
            continue
        if paid_in is PaidIn.EUROS:
            full = (period.rate * period.population).quantize(Decimal("0.01"))
            assert period.amount == full
        else:
            assert period.days_owed == Decimal("24.0")


@SETTINGS
@given(start=starts, exit_requested=exits, pops=populations)
def test_amounts_match_an_exact_fraction_reference_and_are_never_negative(
    start, exit_requested, pops
):
    schedule = schedule_for(start, exit_requested, pops, PaidIn.EUROS)

    for period in schedule.periods:
        expected_rate = RULES.rates[min(period.membership_year, len(RULES.rates)) - 1]
        assert period.rate == expected_rate
        loaded = [v for v in pops if v <= period.start.year]
        assert period.population_vintage == max(loaded)
        assert period.population == pops[period.population_vintage]
        assert period.population_estimated == (period.population_vintage != period.start.year)
        exact = (
            Fraction(period.population)
            * Fraction(period.rate)
            * Fraction(period.days_served, period.days_in_period)
        )
        assert period.amount == half_up(exact, Decimal("0.01"))
        assert period.amount >= 0
        assert period.amount <= (period.rate * period.population).quantize(Decimal("0.01"))
        assert period.days_owed is None


@SETTINGS
@given(start=starts, exit_requested=exits)
def test_days_owed_are_prorated_half_days_and_never_negative(start, exit_requested):
    schedule = schedule_for(start, exit_requested, {}, PaidIn.DAYS)

    for period in schedule.periods:
        exact = Fraction(24) * Fraction(period.days_served, period.days_in_period)
        assert period.days_owed == half_up(exact, Decimal("0.5"))
        assert Decimal(0) <= period.days_owed <= Decimal(24)
        assert period.amount is None and period.rate is None and period.population is None


@SETTINGS
@given(start=starts, exit_requested=exits, pops=populations, paid_in=paid_ins)
def test_total_equals_the_sum_of_the_periods(start, exit_requested, pops, paid_in):
    schedule = schedule_for(start, exit_requested, pops, paid_in)

    if paid_in is PaidIn.EUROS:
        assert schedule.total_amount == sum(p.amount for p in schedule.periods)
        assert schedule.total_amount >= 0
        assert schedule.total_days_owed is None
    else:
        assert schedule.total_days_owed == sum(p.days_owed for p in schedule.periods)
        assert schedule.total_amount is None


@SETTINGS
@given(
    start=starts,
    pops=st.dictionaries(st.integers(2024, 2028), st.integers(0, 10_000), min_size=1),
)
def test_missing_population_is_an_error_exactly_when_no_vintage_reaches_back_far_enough(
    start, pops
):
    years = {p.start.year for p in membership_periods(start, RULES.programme_end)}
    if any(all(v > year for v in pops) for year in years):
        with pytest.raises(NoPopulation):
            schedule_for(start, None, pops, PaidIn.EUROS)
    else:
        schedule_for(start, None, pops, PaidIn.EUROS)


@SETTINGS
@given(
    start=st.dates(date(1996, 1, 1), date(2104, 12, 31)),
    length=st.integers(-3, 5_000),
)
def test_membership_periods_tile_any_span(start, length):
    until = start + timedelta(days=length)
    bounds = membership_periods(start, until)

    assert sum(b.days_served for b in bounds) == max(length + 1, 0)
    for previous, following in pairwise(bounds):
        assert following.start == previous.end + ONE_DAY
        assert previous.days_served == previous.days_in_period
    for b in bounds:
        # A period ends the day before the same date a year later (1 March after 29 February).
        assert b.end <= add_years(b.start, 1) - ONE_DAY
        assert b.days_in_period in (365, 366)


@SETTINGS
@given(data=st.data(), rules=any_rules(), population=st.integers(0, 3_000_000))
def test_any_programme_prorates_exactly_and_stops_at_its_end(data, rules, population):
    start = data.draw(st.dates(rules.programme_start, rules.programme_end))
    exit_requested = data.draw(st.none() | st.dates(start, rules.programme_end + ONE_DAY * 400))
    pops = {start.year: population}
    in_euros = compute_schedule(
        rules=rules,
        start=start,
        paid_in=PaidIn.EUROS,
        populations=pops,
        exit_requested=exit_requested,
    )
    in_days = compute_schedule(
        rules=rules,
        start=start,
        paid_in=PaidIn.DAYS,
        populations=pops,
        exit_requested=exit_requested,
    )

    assert in_euros.periods[0].start == start
    assert in_euros.periods[-1].end == (in_euros.effective_exit or rules.programme_end)
    assert in_euros.periods[-1].end <= rules.programme_end
    for money, kind in zip(in_euros.periods, in_days.periods, strict=True):
        share = Fraction(money.days_served, money.days_in_period)
        expected_rate = rules.rates[min(money.membership_year, len(rules.rates)) - 1]
        assert money.rate == expected_rate
        assert money.amount == half_up(
            Fraction(population) * Fraction(expected_rate) * share, rules.money_quantum
        )
        assert kind.days_owed == half_up(
            Fraction(rules.days_per_year) * share, rules.days_rounding_step
        )
        assert money.amount >= 0 and kind.days_owed >= 0
    assert in_euros.total_amount == sum(p.amount for p in in_euros.periods)
    assert in_days.total_days_owed == sum(p.days_owed for p in in_days.periods)
