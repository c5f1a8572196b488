"""Membership figures for the six-monthly review: communes per offer and status at period end."""

from collections import Counter

from django.utils.translation import gettext as _

from mutualis.membership.enums import IN_OFFER, Status
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


def figures(ctx):
    from mutualis.reviews.figures import Chart, Figure, Section

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
            label=_("Candidatures en attente"),
            value=queued,
            communes=queued,
        )
    )
    result.append(
        Figure(key="exits", label=_("Sorties demandées ou effectives"), value=exits, communes=exits)
    )
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
