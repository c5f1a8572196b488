"""The admission queue in order and the load of each capacity pool, read in a bounded number of
queries whatever the number of communes (pages, the API and `admit_commune` share them)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from mutualis.core.collation import sort_key
from mutualis.membership import rules
from mutualis.membership.enums import CAPACITY_HOLDING, Status
from mutualis.membership.models import Membership, QueueOverride, TimeLog
from mutualis.programme.models import Participation, Programme
from mutualis.programme.schema import CapacityPool


@dataclass
class QueueEntry:
    membership: Membership
    priority: bool
    load: Decimal
    override: QueueOverride | None = None
    position: int = 0
    load_after: Decimal = Decimal(0)
    fits: bool = True


@dataclass
class AdmittedEntry:
    membership: Membership
    load: Decimal
    logged: Decimal


@dataclass
class PoolState:
    pool: CapacityPool
    capacity: Decimal
    used: Decimal
    admitted: list[AdmittedEntry] = field(default_factory=list)
    queue: list[QueueEntry] = field(default_factory=list)

    @property
    def free(self) -> Decimal:
        return self.capacity - self.used

    @property
    def used_percent(self) -> int:
        return int(self.used * 100 / self.capacity) if self.capacity else 0

    def projection(self, limit: int = 8) -> list[tuple[int, Decimal]]:
        """(N, load after admitting the next N in queue order), N = 0..limit."""
        rows = [(0, self.used)]
        for entry in self.queue[:limit]:
            rows.append((entry.position, entry.load_after))
        return rows


def load_for(pool: CapacityPool, commune) -> Decimal:
    return rules.estimated_load(
        base_load_days=pool.base_load_days,
        load_per_1000_inhabitants=pool.load_per_1000_inhabitants,
        population=commune.population_total,
    )


def _participations(programme: Programme, commune_ids) -> dict[int, Participation]:
    return {
        p.commune_id: p
        for p in Participation.objects.filter(programme=programme, commune_id__in=commune_ids)
    }


def _latest_overrides(membership_ids) -> dict[int, QueueOverride]:
    latest: dict[int, QueueOverride] = {}
    for override in QueueOverride.objects.filter(membership_id__in=membership_ids).order_by(
        "at", "id"
    ):
        latest[override.membership_id] = override
    return latest


def order_queue(entries: list[QueueEntry]) -> list[QueueEntry]:
    """Priority group, then earlier application; a coordinator's override places an entry at its
    chosen rank (the later override wins when two ask for the same rank)."""

    def key(entry: QueueEntry):
        m = entry.membership
        return (0 if entry.priority else 1, m.applied_on or date.max, m.created_at, m.pk)

    plain = sorted((e for e in entries if e.override is None), key=key)
    moved = sorted(
        (e for e in entries if e.override is not None),
        key=lambda e: (e.override.position, e.override.at, e.override.pk),
    )
    ordered = list(plain)
    for entry in moved:
        ordered.insert(min(entry.override.position - 1, len(ordered)), entry)
    for index, entry in enumerate(ordered, start=1):
        entry.position = index
    return ordered


def pool_states(programme: Programme, *, on: date) -> list[PoolState]:
    """Every capacity pool of the programme, with its admitted communes and its queue in order."""
    spec = programme.spec
    offers_to_pool = {code: pool.code for pool in spec.capacity_pools for code in pool.offers}
    memberships = list(
        Membership.objects.filter(
            programme=programme,
            offer_code__in=offers_to_pool,
            status__in=[Status.QUEUED, *CAPACITY_HOLDING],
        ).select_related("commune", "programme")
    )
    ids = [m.pk for m in memberships]
    participations = _participations(programme, {m.commune_id for m in memberships})
    overrides = _latest_overrides([m.pk for m in memberships if m.status == Status.QUEUED])
    logged = dict(
        TimeLog.objects.filter(membership_id__in=ids)
        .values("membership_id")
        .annotate(total=Sum("days"))
        .values_list("membership_id", "total")
    )
    states = {
        pool.code: PoolState(pool=pool, capacity=Decimal(pool.days_per_year), used=Decimal(0))
        for pool in spec.capacity_pools
    }
    admission = spec.admission
    for m in memberships:
        state = states[offers_to_pool[m.offer_code]]
        if m.status == Status.QUEUED:
            participation = participations.get(m.commune_id)
            priority = rules.has_priority(
                co_construction=bool(participation and participation.co_construction),
                commitment_letter_date=participation.commitment_letter_date
                if participation
                else None,
                decided_on=on,
                priority_decided_until=admission.priority_decided_until,
                commitment_letter_deadline=admission.commitment_letter_deadline,
            )
            state.queue.append(
                QueueEntry(
                    membership=m,
                    priority=priority,
                    load=load_for(state.pool, m.commune),
                    override=overrides.get(m.pk),
                )
            )
        else:
            load = m.estimated_load_days
            if load is None:
                load = load_for(state.pool, m.commune)
            state.used += load
            state.admitted.append(
                AdmittedEntry(membership=m, load=load, logged=logged.get(m.pk) or Decimal(0))
            )
    for state in states.values():
        state.admitted.sort(key=lambda a: sort_key(a.membership.commune.name))
        state.queue = order_queue(state.queue)
        running = state.used
        for entry in state.queue:
            running += entry.load
            entry.load_after = running
            entry.fits = running <= state.capacity
    return list(states.values())


def pool_state(programme: Programme, pool_code: str, *, on: date) -> PoolState:
    return next(s for s in pool_states(programme, on=on) if s.pool.code == pool_code)
