"""From the programme file and a commune to the schedule engine's inputs (rules, paid-in, populations).

No database access here: callers hand in the validated programme file and the commune's populations,
so the simulator, the calls and the forecast all read the same figures the same way.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils.translation import gettext as _

from mutualis.contributions.schedule import ContributionRules, PaidIn, Schedule, compute_schedule
from mutualis.programme.schema import Offer, ProgrammeFile

_CTX = Context(prec=40, rounding=ROUND_HALF_UP)
_NO_RATE = (Decimal(0),)


class OfferError(ValueError):
    """An offer that cannot be scheduled: unknown, free, or not open to the commune."""


def contribution_rules(spec: ProgrammeFile, offer_code: str) -> ContributionRules:
    """The engine's rules for one offer of a programme file."""
    offer = _offer(spec, offer_code)
    contribution = offer.contribution
    rates = tuple(contribution.rates) if contribution.kind == "per_inhabitant" else _NO_RATE
    days = contribution.days_per_year if contribution.kind == "days_in_kind" else Decimal(0)
    info = spec.programme
    # Without a free exit date, an exit asked at any time takes effect at the programme's end.
    return ContributionRules(
        programme_start=info.start,
        programme_end=info.end,
        free_exit_date=info.free_exit_date or info.end,
        rates=rates,
        days_per_year=days,
        days_rounding_step=spec.contributions.days_rounding_step,
        money_quantum=spec.contributions.money_quantum,
    )


def paid_in(spec: ProgrammeFile, offer_code: str) -> PaidIn:
    """Euros for an offer paid per inhabitant, days for one paid in kind."""
    return (
        PaidIn.DAYS
        if _offer(spec, offer_code).contribution.kind == "days_in_kind"
        else PaidIn.EUROS
    )


def is_paid(spec: ProgrammeFile, offer_code: str) -> bool:
    try:
        return spec.offer(offer_code).contribution.kind != "free"
    except KeyError:
        return False


def default_offer(spec: ProgrammeFile, *, has_it_department: bool) -> Offer:
    """The advanced offer open to a commune (with or without IT department)."""
    for offer in spec.advanced_offers():
        if offer.is_open_to(has_it_department=has_it_department):
            return offer
    raise OfferError(_("Aucune offre avancée de ce programme n'est ouverte à cette commune."))


def populations_by_vintage(populations: Iterable, basis: str) -> dict[int, int]:
    """Vintage → legal population of the programme's basis ("total" or "municipal")."""
    out = {}
    for p in populations:
        value = p.total if basis == "total" else p.municipal
        if value is not None:
            out[p.vintage] = value
    return out


@dataclass(frozen=True)
class Simulation:
    offer: Offer
    schedule: Schedule


def simulate(
    *,
    spec: ProgrammeFile,
    offer_code: str,
    populations: dict[int, int],
    start: date,
    exit_requested: date | None = None,
) -> Simulation:
    """The schedule of a commune as if it joined `offer_code` on `start` (what-if, nothing stored).

    Raises OfferError for a free or unknown offer and ScheduleError (French message) otherwise."""
    offer = _offer(spec, offer_code)
    schedule = compute_schedule(
        rules=contribution_rules(spec, offer_code),
        start=start,
        paid_in=paid_in(spec, offer_code),
        populations=populations,
        exit_requested=exit_requested,
    )
    return Simulation(offer=offer, schedule=schedule)


def prorated_amount(
    *, rate: Decimal, population: int, days_served: int, days_in_period: int, quantum: Decimal
) -> Decimal:
    """The engine's formula for one period (population × rate, × days served / days in period
    when cut short), rounded half-up: used to re-price an already-called period after an exit."""
    exact = _CTX.multiply(rate, population)
    if days_served < days_in_period:
        exact = _CTX.divide(_CTX.multiply(exact, days_served), days_in_period)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP, context=_CTX)


def _offer(spec: ProgrammeFile, offer_code: str) -> Offer:
    try:
        offer = spec.offer(offer_code)
    except KeyError:
        raise OfferError(
            _("L'offre « %(offer)s » n'existe pas dans ce programme.") % {"offer": offer_code}
        ) from None
    if offer.contribution.kind == "free":
        raise OfferError(
            _("L'offre « %(offer)s » est gratuite : aucune contribution n'est due.")
            % {"offer": offer.name}
        )
    return offer
