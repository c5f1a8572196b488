"""The programme's revenue forecast: euros and days per programme year, for members and, as a
what-if, for the queue, against the referent's annual cost from the programme file.

A period's amount (or days) counts in the programme year in which the period starts, the day it is
called. Members are memberships admitted or later (with their start date; one admitted without a
start date yet is assumed to start on the what-if date); the queue is applications not yet admitted,
assumed to start on the what-if date. Estimated populations are used as they are: it is a forecast.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.schedule import (
    PaidIn,
    ScheduleError,
    add_years,
    compute_schedule,
    membership_periods,
)
from mutualis.core.collation import french
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

MEMBER_STATES = frozenset(
    {
        Status.ADMITTED,
        Status.CONVENTION_ISSUED,
        Status.ACTIVE,
        Status.EXIT_REQUESTED,
        Status.EXITED,
        Status.ENDED,
    }
)
QUEUE_STATES = frozenset({Status.APPLIED, Status.QUEUED})
ZERO = Decimal("0.00")


@dataclass
class ForecastYear:
    number: int
    start: date
    end: date
    members_amount: Decimal = ZERO
    queue_amount: Decimal = ZERO
    members_days: Decimal = Decimal("0.0")
    queue_days: Decimal = Decimal("0.0")
    referent_cost: Decimal = ZERO

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.end.year}"

    @property
    def with_queue_amount(self) -> Decimal:
        return self.members_amount + self.queue_amount

    @property
    def members_coverage(self) -> int | None:
        """Members' contributions as a percentage of the referent's cost."""
        return _percent(self.members_amount, self.referent_cost)

    @property
    def with_queue_coverage(self) -> int | None:
        return _percent(self.with_queue_amount, self.referent_cost)


@dataclass
class Forecast:
    queue_start: date
    years: list[ForecastYear]
    members: int = 0
    queued: int = 0
    skipped: list[str] = field(default_factory=list)

    def total(self, attribute: str) -> Decimal:
        return sum((getattr(y, attribute) for y in self.years), Decimal(0))


def _percent(part: Decimal, whole: Decimal) -> int | None:
    return int(part * 100 / whole) if whole else None


def first_day_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def programme_forecast(*, programme: Programme, queue_start: date) -> Forecast:
    spec = programme.spec
    info = spec.programme
    years = [
        ForecastYear(number=b.membership_year, start=b.start, end=b.end)
        for b in membership_periods(info.start, info.end)
    ]
    referent = spec.referent
    contract_end = add_years(referent.contract_start, referent.contract_years)
    for year in years:
        if referent.contract_start <= year.start < contract_end:
            year.referent_cost = referent.annual_cost
    queue_start = min(max(queue_start, info.start), info.end)
    forecast = Forecast(queue_start=queue_start, years=years)
    memberships = (
        Membership.objects.filter(programme=programme, status__in=MEMBER_STATES | QUEUE_STATES)
        .select_related("commune")
        .prefetch_related("commune__populations")
        .order_by(french("commune__name"))
    )
    for membership in memberships:
        if not contribution_rules.is_paid(spec, membership.offer_code):
            continue
        queued = membership.status in QUEUE_STATES
        start = queue_start if queued or membership.start_date is None else membership.start_date
        paid_in = contribution_rules.paid_in(spec, membership.offer_code)
        populations = contribution_rules.populations_by_vintage(
            membership.commune.populations.all(), spec.contributions.population_basis
        )
        try:
            schedule = compute_schedule(
                rules=contribution_rules.contribution_rules(spec, membership.offer_code),
                start=start,
                paid_in=paid_in,
                populations=populations,
                exit_requested=None if queued else membership.exit_requested_on,
            )
        except ScheduleError as exc:
            forecast.skipped.append(
                _("%(commune)s : %(error)s") % {"commune": membership.commune.name, "error": exc}
            )
            continue
        if queued:
            forecast.queued += 1
        else:
            forecast.members += 1
        who = "queue" if queued else "members"
        for period in schedule.periods:
            year = next((y for y in years if y.start <= period.start <= y.end), None)
            if year is None:
                continue
            if paid_in is PaidIn.EUROS:
                setattr(year, f"{who}_amount", getattr(year, f"{who}_amount") + period.amount)
            else:
                setattr(year, f"{who}_days", getattr(year, f"{who}_days") + period.days_owed)
    return forecast
