"""Contribution schedule of one commune: the membership periods it owes and what each one costs."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

# Every French message this module can produce, by code, so the lead can wrap them for translation.
MESSAGES: dict[str, str] = {
    "start_outside_programme": (
        "La date de début d'adhésion ({start}) est en dehors du programme, "
        "qui court du {programme_start} au {programme_end}."
    ),
    "no_population": (
        "Aucune population légale n'est chargée pour le millésime {year} ni pour un millésime "
        "antérieur : impossible de calculer la période du {period_start} au {period_end}."
    ),
    "invalid_population": (
        "La population légale du millésime {vintage} est invalide ({population}) : "
        "elle doit être un nombre entier positif ou nul."
    ),
    "rules_dates_out_of_order": (
        "Règles de contribution invalides : le début du programme ({programme_start}), "
        "la date de sortie sans frais ({free_exit_date}) et la fin du programme "
        "({programme_end}) doivent se suivre dans cet ordre."
    ),
    "rules_no_rate": (
        "Règles de contribution invalides : aucun tarif par année d'adhésion n'est défini."
    ),
    "rules_negative_rate": (
        "Règles de contribution invalides : le tarif de l'année d'adhésion {year} est négatif "
        "({rate})."
    ),
    "rules_negative_days": (
        "Règles de contribution invalides : le nombre de jours dus par année d'adhésion est "
        "négatif ({days})."
    ),
    "rules_non_positive_step": (
        "Règles de contribution invalides : le pas d'arrondi {name} doit être strictement "
        "positif ({step})."
    ),
}

# One context for every operation, so a caller's thread-local decimal context cannot change results.
# 40 digits keeps every product and quotient exact enough for half-up rounding to the cent.
_CTX = Context(prec=40, rounding=ROUND_HALF_UP)
_ONE = Decimal(1)
_ONE_DAY = timedelta(days=1)


def _french(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(value)


class ScheduleError(ValueError):
    """A schedule cannot be computed; `code` keys MESSAGES and `params` fills it."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code].format(**{k: _french(v) for k, v in params.items()}))

    @property
    def message(self) -> str:
        return str(self)


class StartOutsideProgramme(ScheduleError):
    def __init__(self, *, start: date, programme_start: date, programme_end: date) -> None:
        self.start = start
        self.programme_start = programme_start
        self.programme_end = programme_end
        super().__init__(
            "start_outside_programme",
            start=start,
            programme_start=programme_start,
            programme_end=programme_end,
        )


class NoPopulation(ScheduleError):
    """No legal population of the period's vintage or of any earlier one is loaded."""

    def __init__(self, *, period_start: date, period_end: date, year: int) -> None:
        self.period_start = period_start
        self.period_end = period_end
        self.year = year
        super().__init__(
            "no_population", period_start=period_start, period_end=period_end, year=year
        )


class InvalidPopulation(ScheduleError):
    def __init__(self, *, vintage: int, population: Any) -> None:
        self.vintage = vintage
        self.population = population
        super().__init__("invalid_population", vintage=vintage, population=population)


class InvalidRules(ScheduleError):
    pass


@dataclass(frozen=True, slots=True)
class ContributionRules:
    """The contribution settings of one programme, as read from its programme file."""

    programme_start: date
    programme_end: date
    free_exit_date: date
    rates: tuple[Decimal, ...]  # per inhabitant, by membership year; later years keep the last
    days_per_year: Decimal
    days_rounding_step: Decimal
    money_quantum: Decimal

    def __post_init__(self) -> None:
        if not (self.programme_start <= self.free_exit_date <= self.programme_end):
            raise InvalidRules(
                "rules_dates_out_of_order",
                programme_start=self.programme_start,
                free_exit_date=self.free_exit_date,
                programme_end=self.programme_end,
            )
        if not self.rates:
            raise InvalidRules("rules_no_rate")
        for year, rate in enumerate(self.rates, start=1):
            if rate < 0:
                raise InvalidRules("rules_negative_rate", year=year, rate=rate)
        if self.days_per_year < 0:
            raise InvalidRules("rules_negative_days", days=self.days_per_year)
        for name, step in (
            ("des jours", self.days_rounding_step),
            ("des montants", self.money_quantum),
        ):
            if step <= 0:
                raise InvalidRules("rules_non_positive_step", name=name, step=step)

    def rate_for(self, membership_year: int) -> Decimal:
        return self.rates[min(membership_year, len(self.rates)) - 1]


class PaidIn(StrEnum):
    EUROS = "euros"
    DAYS = "days"


class Period(NamedTuple):
    """One membership period owed; money fields are None when paid in days, and vice versa.

    A named tuple rather than a frozen dataclass: as immutable, and built several times faster,
    which the whole-of-France benchmark (50,000 schedules a second) needs."""

    start: date
    end: date
    membership_year: int
    population: int | None
    population_vintage: int | None
    population_estimated: bool
    rate: Decimal | None
    days_served: int
    days_in_period: int
    amount: Decimal | None
    days_owed: Decimal | None

    @property
    def is_prorated(self) -> bool:
        return self.days_served < self.days_in_period


@dataclass(frozen=True)
class Schedule:
    """Every period a commune owes, in order; no period at all when the application is withdrawn."""

    periods: tuple[Period, ...]
    effective_exit: date | None  # None without exit (and for a withdrawn application)
    total_amount: Decimal | None  # None when paid in days
    total_days_owed: Decimal | None  # None when paid in euros
    paid_in: PaidIn

    @property
    def withdrawn(self) -> bool:
        # A start inside the programme always yields at least one period, unless withdrawn.
        return not self.periods

    def to_dict(self, insee_code: str, offer: str) -> dict[str, Any]:
        in_euros = self.paid_in is PaidIn.EUROS
        return {
            "insee_code": insee_code,
            "offer": offer,
            "periods": [
                {
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "membership_year": p.membership_year,
                    "population": p.population if in_euros else None,
                    "population_vintage": p.population_vintage if in_euros else None,
                    "population_estimated": p.population_estimated if in_euros else None,
                    "rate": str(p.rate) if in_euros else None,
                    "days_served": p.days_served,
                    "days_in_period": p.days_in_period,
                    "amount": str(p.amount) if in_euros else None,
                    "days_owed": None if in_euros else str(p.days_owed),
                }
                for p in self.periods
            ],
            "total_amount": str(self.total_amount) if in_euros else None,
            "total_days_owed": None if in_euros else str(self.total_days_owed),
        }


def add_years(d: date, n: int) -> date:
    """The same date n years later; 29 February becomes 1 March in a non-leap year."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # only 29 February can fail
        return date(d.year + n, 3, 1)


class PeriodBounds(NamedTuple):
    start: date
    end: date  # last day served, inclusive
    membership_year: int
    days_served: int
    days_in_period: int  # of the full 12-month period, inclusive: 365 or 366


def first_membership_year(*, first_start: date, start: date) -> int:
    """The membership year a renewed membership starting on `start` is in, counted from the
    membership's first start in an earlier programme: 1 + the anniversaries passed."""
    years = 0
    while add_years(first_start, years + 1) <= start:
        years += 1
    return years + 1


def membership_periods(start: date, until: date, first_year: int = 1) -> tuple[PeriodBounds, ...]:
    """12-month periods from start, each ending the day before the same date a year later,
    chained (a period starts the day after the previous one ends), the last one cut at until;
    the first is membership year `first_year` (a renewal counted from the first programme)."""
    bounds = []
    period_start = start
    year = first_year
    while period_start <= until:
        next_start = add_years(period_start, 1)
        end = min(next_start - _ONE_DAY, until)
        bounds.append(
            PeriodBounds(
                start=period_start,
                end=end,
                membership_year=year,
                days_served=(end - period_start).days + 1,
                days_in_period=(next_start - period_start).days,
            )
        )
        period_start = next_start
        year += 1
    return tuple(bounds)


def effective_exit_date(
    *, rules: ContributionRules, start: date, exit_requested: date
) -> date | None:
    """The last day a leaving commune owes, or None when its exit withdraws the application."""
    if exit_requested < start:
        return None
    if exit_requested <= rules.free_exit_date:
        # The seed offers an exit free of charge *on* a date ("sortie sans frais le 31 décembre
        # 2025") and PRODUCT.md charges an exit asked "before the end of 2025" up to that date:
        # asked any time until then, the exit takes effect on the free exit date.
        return rules.free_exit_date
    return rules.programme_end


class _Slot(NamedTuple):
    bounds: PeriodBounds
    vintage_year: int
    rate: Decimal
    full: bool
    rate_times_served: Decimal


class _Plan(NamedTuple):
    effective_exit: date | None
    slots: tuple[_Slot, ...]
    days_schedule: Schedule
    zero_amount: Decimal


def _round_days(rules: ContributionRules, days: Decimal) -> Decimal:
    step = rules.days_rounding_step
    steps = _CTX.divide(days, step).quantize(_ONE, rounding=ROUND_HALF_UP, context=_CTX)
    return _CTX.multiply(steps, step).quantize(step, context=_CTX)


@lru_cache(maxsize=4096)
def _plan(
    rules: ContributionRules, start: date, exit_requested: date | None, first_year: int = 1
) -> _Plan:
    # Everything that does not depend on population is shared by the communes with the same
    # (rules, start, exit): period boundaries, rates, and the whole schedule when paid in days.
    if not (rules.programme_start <= start <= rules.programme_end):
        raise StartOutsideProgramme(
            start=start, programme_start=rules.programme_start, programme_end=rules.programme_end
        )
    if exit_requested is None:
        effective_exit = None
        until = rules.programme_end
    else:
        effective_exit = effective_exit_date(
            rules=rules, start=start, exit_requested=exit_requested
        )
        until = start - _ONE_DAY if effective_exit is None else effective_exit
    slots = []
    day_periods = []
    for b in membership_periods(start, until, first_year):
        rate = rules.rate_for(b.membership_year)
        full = b.days_served == b.days_in_period
        slots.append(
            _Slot(b, b.start.year, rate, full, _CTX.multiply(rate, Decimal(b.days_served)))
        )
        owed = (
            rules.days_per_year
            if full
            else _CTX.divide(_CTX.multiply(rules.days_per_year, b.days_served), b.days_in_period)
        )
        day_periods.append(
            Period(
                start=b.start,
                end=b.end,
                membership_year=b.membership_year,
                population=None,
                population_vintage=None,
                population_estimated=False,
                rate=None,
                days_served=b.days_served,
                days_in_period=b.days_in_period,
                amount=None,
                days_owed=_round_days(rules, owed),
            )
        )
    total_days = Decimal(0).quantize(rules.days_rounding_step)
    for p in day_periods:
        total_days = _CTX.add(total_days, p.days_owed)
    days_schedule = Schedule(
        periods=tuple(day_periods),
        effective_exit=effective_exit,
        total_amount=None,
        total_days_owed=total_days,
        paid_in=PaidIn.DAYS,
    )
    zero_amount = Decimal(0).quantize(rules.money_quantum)
    return _Plan(effective_exit, tuple(slots), days_schedule, zero_amount)


def _earlier_vintage(populations: Mapping[int, int], slot: _Slot) -> int:
    earlier = [v for v, pop in populations.items() if v < slot.vintage_year and pop is not None]
    if not earlier:
        raise NoPopulation(
            period_start=slot.bounds.start, period_end=slot.bounds.end, year=slot.vintage_year
        )
    return max(earlier)


def compute_schedule(
    *,
    rules: ContributionRules,
    start: date,
    paid_in: PaidIn,
    populations: Mapping[int, int],
    exit_requested: date | None = None,
    first_year: int = 1,
) -> Schedule:
    """The periods a commune owes from its membership start, given its legal populations by
    vintage (population totale) and the date it asked to leave, if it did; a renewed membership
    counted from the first programme starts at membership year `first_year`."""
    plan = _plan(rules, start, exit_requested, first_year)
    if paid_in is PaidIn.DAYS:
        return plan.days_schedule

    quantum = rules.money_quantum
    total = plan.zero_amount
    periods = []
    for slot in plan.slots:
        vintage = slot.vintage_year
        population = populations.get(vintage)
        estimated = population is None
        if estimated:
            vintage = _earlier_vintage(populations, slot)
            population = populations[vintage]
        if population < 0:
            raise InvalidPopulation(vintage=vintage, population=population)
        if slot.full:
            # A full period is never pro-rated: population × rate, nothing else.
            exact = _CTX.multiply(slot.rate, population)
        else:
            exact = _CTX.divide(
                _CTX.multiply(slot.rate_times_served, population), slot.bounds.days_in_period
            )
        amount = exact.quantize(quantum, context=_CTX)  # _CTX rounds half-up
        total = _CTX.add(total, amount)
        b = slot.bounds
        # Positional, in field order (start, end, membership_year, population, vintage,
        # estimated, rate, days_served, days_in_period, amount, days_owed): the hot path.
        periods.append(
            Period(
                b.start,
                b.end,
                b.membership_year,
                population,
                vintage,
                estimated,
                slot.rate,
                b.days_served,
                b.days_in_period,
                amount,
                None,
            )
        )
    return Schedule(
        periods=tuple(periods),
        effective_exit=plan.effective_exit,
        total_amount=total,
        total_days_owed=None,
        paid_in=PaidIn.EUROS,
    )
