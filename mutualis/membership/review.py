"""Membership figures for the six-monthly review: communes per offer and status at period end,
the admission queue and the capacity used in each pool."""

from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext as _

from mutualis.core.figures import Chart, Figure, Section
from mutualis.membership.capacity import load_for
from mutualis.membership.enums import CAPACITY_HOLDING, IN_OFFER, Status
from mutualis.membership.models import Membership, Transition


def status_at_end(ctx) -> dict[int, str]:
    """Each membership's status at the end of the period, from its transitions' effective dates
    (a step recorded later but effective within the period counts in it)."""
    states: dict[int, str] = {}
    transitions = (
        Transition.objects.filter(membership__programme=ctx.programme, on__lte=ctx.end)
        .order_by("on", "at", "id")
        .values_list("membership_id", "to_status")
    )
    for membership_id, status in transitions:
        states[membership_id] = status
    return states


def communes_in_offer_at_end(ctx) -> dict[str, set[str]]:
    """The INSEE codes of the communes in each offer at the end of the period (two queries)."""
    states = status_at_end(ctx)
    in_offer: dict[str, set[str]] = {offer.code: set() for offer in ctx.programme.spec.offers}
    for pk, offer_code, insee in Membership.objects.filter(pk__in=states).values_list(
        "pk", "offer_code", "commune__insee_code"
    ):
        if states[pk] in IN_OFFER:
            in_offer.setdefault(offer_code, set()).add(insee)
    return in_offer


def _pool_figures(ctx, states: dict[int, str]) -> list:
    """Per capacity pool: applications queued and days used (admitted loads) at the period end."""
    spec = ctx.programme.spec
    offers_to_pool = {code: pool for pool in spec.capacity_pools for code in pool.offers}
    queued: Counter = Counter()
    used: dict[str, Decimal] = {pool.code: Decimal(0) for pool in spec.capacity_pools}
    holders: dict[str, set[str]] = {pool.code: set() for pool in spec.capacity_pools}
    memberships = Membership.objects.filter(
        pk__in=states, offer_code__in=offers_to_pool
    ).select_related("commune")
    for m in memberships:
        pool = offers_to_pool[m.offer_code]
        status = states[m.pk]
        if status == Status.QUEUED:
            queued[pool.code] += 1
        elif status in CAPACITY_HOLDING:
            load = m.estimated_load_days
            used[pool.code] += load if load is not None else load_for(pool, m.commune)
            holders[pool.code].add(m.commune.insee_code)
    result = []
    for pool in spec.capacity_pools:
        days = used[pool.code]
        result += [
            Figure(
                key=f"queue_{pool.code}",
                unit=_("communes"),
                label=_("File d'attente — %(pool)s") % {"pool": pool.name},
                value=queued[pool.code],
                communes=queued[pool.code],
            ),
            Figure(
                key=f"capacity_used_days_{pool.code}",
                label=_("Capacité engagée — %(pool)s") % {"pool": pool.name},
                value=float(days),
                unit=_("jours par an"),
                communes=len(holders[pool.code]),
            ),
            Figure(
                key=f"capacity_used_percent_{pool.code}",
                label=_("Part de la capacité engagée — %(pool)s") % {"pool": pool.name},
                value=round(float(days * 100 / Decimal(pool.days_per_year)), 1),
                unit="%",
                communes=len(holders[pool.code]),
            ),
        ]
    return result


def figures(ctx):
    spec = ctx.programme.spec
    states = status_at_end(ctx)
    memberships = Membership.objects.filter(pk__in=states).values_list(
        "pk", "offer_code", "commune__insee_code"
    )
    in_offer: dict[str, set[str]] = {offer.code: set() for offer in spec.offers}
    statuses: Counter = Counter()
    by_commune: dict[str, str] = {}
    for pk, offer_code, insee in memberships:
        status = states[pk]
        statuses[(offer_code, status)] += 1
        if status in IN_OFFER:
            in_offer.setdefault(offer_code, set()).add(insee)
            # an advanced offer includes the base one: show the most advanced
            if offer_code != spec.base_offer.code or insee not in by_commune:
                by_commune[insee] = spec.offer(offer_code).name
    result = [
        Figure(
            key=f"members_{offer.code}",
            unit=_("communes"),
            label=_("Communes membres — %(offer)s") % {"offer": offer.name},
            value=len(in_offer.get(offer.code, ())),
            communes=len(in_offer.get(offer.code, ())),
            by_commune={insee: 1 for insee in in_offer.get(offer.code, ())},
        )
        for offer in spec.offers
    ]
    waiting = {Status.APPLIED, Status.QUEUED, Status.ADMITTED, Status.CONVENTION_ISSUED}
    queued = sum(n for (_offer, status), n in statuses.items() if status in waiting)
    exits = sum(
        n
        for (_offer, status), n in statuses.items()
        if status in {Status.EXIT_REQUESTED, Status.EXITED}
    )
    result.append(
        Figure(
            key="applications_waiting",
            unit=_("candidatures"),
            label=_("Candidatures en attente"),
            value=queued,
            communes=queued,
        )
    )
    result.append(
        Figure(
            key="exits",
            unit=_("communes"),
            label=_("Sorties demandées ou effectives"),
            value=exits,
            communes=exits,
        )
    )
    result += _pool_figures(ctx, states)
    result.append(
        Figure(
            key="commune_offer", label=_("Offre de la commune"), value=None, by_commune=by_commune
        )
    )
    chart = Chart(
        kind="bar",
        title=_("Communes par offre en fin de période"),
        categories=[offer.name for offer in spec.offers],
        series={_("Communes"): [len(in_offer.get(offer.code, ())) for offer in spec.offers]},
    )
    return Section(key="membership", title=_("Adhésions"), figures=result, charts=[chart])
