"""Which memberships owe contributions and which of their periods are due."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.models import Call, PopulationConfirmation
from mutualis.contributions.schedule import (
    PaidIn,
    Period,
    Schedule,
    ScheduleError,
    compute_schedule,
    first_membership_year,
)
from mutualis.contributions.services._common import ContributionError, _d
from mutualis.core.collation import french
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

# Memberships whose periods are owed: running, leaving, or over (a commune that left still owes
# the periods it was served, up to its effective exit).
OWING_STATES = frozenset({Status.ACTIVE, Status.EXIT_REQUESTED, Status.EXITED, Status.ENDED})


def period_label(start: date, end: date) -> str:
    return _("période du %(start)s au %(end)s") % {"start": _d(start), "end": _d(end)}


# --- Schedules of memberships ----------------------------------------------------------------


def _first_year(membership: Membership) -> int:
    """Year 1, or, where the programme file counts rates from the first programme, the year a
    renewed membership has reached since its first start."""
    if membership.programme.spec.contributions.rates_count_from != "first_programme":
        return 1
    first_start = membership.first_start()
    if first_start is None or first_start >= membership.start_date:
        return 1
    return first_membership_year(first_start=first_start, start=membership.start_date)


def schedule_for_membership(membership: Membership, *, paid_in: PaidIn | None = None) -> Schedule:
    """The periods a membership owes, from its start date and its exit request, if any.

    Populations come from `membership.commune.populations` (prefetch them for many memberships).
    """
    spec = membership.programme.spec
    commune = membership.commune
    if membership.start_date is None:
        raise ContributionError(
            _("%(commune)s : l'adhésion n'a pas de date de début, aucune période n'est due.")
            % {"commune": commune.name}
        )
    kind = paid_in or contribution_rules.paid_in(spec, membership.offer_code)
    populations = (
        contribution_rules.populations_by_vintage(
            commune.populations.all(), spec.contributions.population_basis
        )
        if kind is PaidIn.EUROS
        else {}
    )
    try:
        return compute_schedule(
            rules=contribution_rules.contribution_rules(spec, membership.offer_code),
            start=membership.start_date,
            paid_in=kind,
            populations=populations,
            exit_requested=membership.exit_requested_on,
            first_year=_first_year(membership),
        )
    except ScheduleError as exc:
        raise ContributionError(
            _("%(commune)s : %(error)s") % {"commune": commune.name, "error": exc}
        ) from exc


def owing_memberships(programme: Programme, *, paid_in: PaidIn = PaidIn.EUROS) -> list[Membership]:
    spec = programme.spec
    memberships = (
        Membership.objects.filter(
            programme=programme, status__in=OWING_STATES, start_date__isnull=False
        )
        .select_related("commune", "programme")
        .prefetch_related("commune__populations")
        .order_by(french("commune__name"), "start_date")
    )
    return [
        m
        for m in memberships
        if contribution_rules.is_paid(spec, m.offer_code)
        and contribution_rules.paid_in(spec, m.offer_code) is paid_in
    ]


@dataclass(frozen=True)
class DuePeriod:
    """A period that should be called and is not yet: ready, or waiting for a confirmation."""

    membership: Membership
    period: Period
    confirmation: PopulationConfirmation | None

    @property
    def commune(self):
        return self.membership.commune

    @property
    def needs_confirmation(self) -> bool:
        return self.period.population_estimated and self.confirmation is None

    def label(self) -> str:
        return _("%(commune)s, %(period)s") % {
            "commune": self.commune.name,
            "period": period_label(self.period.start, self.period.end),
        }


def due_periods(*, programme: Programme, on: date) -> list[DuePeriod]:
    """Every period started on or before `on` (a period is called when it starts) and not called.

    Raises ContributionError, naming the commune and the period, when one cannot be computed."""
    memberships = owing_memberships(programme)
    called = set(
        Call.objects.live()
        .filter(membership__in=memberships)
        .values_list("membership_id", "period_start")
    )
    confirmations = {
        (c.membership_id, c.period_start): c
        for c in PopulationConfirmation.objects.filter(membership__in=memberships)
    }
    due = []
    for membership in memberships:
        if membership.start_date > on:
            continue
        for period in schedule_for_membership(membership).periods:
            if period.start > on or (membership.pk, period.start) in called:
                continue
            confirmation = confirmations.get((membership.pk, period.start))
            if confirmation and (confirmation.population, confirmation.population_vintage) != (
                period.population,
                period.population_vintage,
            ):
                confirmation = None  # the estimate changed since: confirm it again
            due.append(DuePeriod(membership, period, confirmation))
    return due
