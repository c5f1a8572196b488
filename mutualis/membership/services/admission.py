"""The advanced offers' queue: queueing an application, moving it, admitting a commune."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.membership import capacity
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership, QueueOverride
from mutualis.membership.services.notifications import notify_step
from mutualis.membership.services.transitions import (
    TransitionRefused,
    _locked,
    _move,
    _refuse_move,
    _today,
)
from mutualis.programme.models import Programme


def queue_application(
    *, membership: Membership, by, reason: str = "", on: date | None = None
) -> Membership:
    """A coordinator accepts the application into its pool's queue (the file is complete)."""
    with transaction.atomic():
        membership = _locked(membership)
        _move(membership=membership, to=Status.QUEUED, by=by, reason=reason, on=on)
    notify_step(membership=membership, step=Status.QUEUED, by=by)
    return membership


def move_in_queue(*, membership: Membership, position: int, by, reason: str) -> QueueOverride:
    """A coordinator places an application at a chosen rank of its queue, with a written reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(
            _("Indiquez le motif pour lequel %(commune)s change de rang dans la file.")
            % {"commune": membership.commune.name}
        )
    if position < 1:
        raise TransitionRefused(_("Le rang doit être un entier à partir de 1."))
    with transaction.atomic():
        membership = _locked(membership)
        if membership.status != Status.QUEUED:
            raise TransitionRefused(
                _("%(commune)s n'est pas dans la file d'attente (%(status)s).")
                % {"commune": membership.commune.name, "status": membership.get_status_display()}
            )
        override = QueueOverride.objects.create(
            membership=membership, position=position, reason=reason, by=by
        )
        audit.record(
            action="membership.queue_override",
            obj=membership,
            by=by,
            summary=_("%(commune)s placée au rang %(position)s de la file")
            % {"commune": membership.commune.name, "position": position},
            commune_insee=membership.commune.insee_code,
            reason=reason,
        )
    return override


def admit_commune(
    *, membership: Membership, by, reason: str = "", on: date | None = None
) -> Membership:
    """Admit a queued application within its pool's capacity.

    The programme row is locked first: two coordinators admitting at the same moment are served
    one after the other, and the second sees the first's admission when it counts the load.
    Admitting another than the head of the queue needs a written reason, kept with the step.
    """
    on = on or _today()
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=membership.programme_id)
        membership = _locked(membership)
        _refuse_move(membership, Status.ADMITTED)
        pool = membership.programme.spec.pool_for_offer(membership.offer_code)
        state = capacity.pool_state(membership.programme, pool.code, on=on)
        entry = next(e for e in state.queue if e.membership.pk == membership.pk)
        if state.used + entry.load > state.capacity:
            raise TransitionRefused(
                _(
                    "Capacité insuffisante pour admettre %(commune)s : sa charge estimée est de "
                    "%(load)s jours, il reste %(free)s jours sur %(capacity)s dans le vivier "
                    "« %(pool)s »."
                )
                % {
                    "commune": membership.commune.name,
                    "load": entry.load,
                    "free": max(state.free, Decimal(0)),
                    "capacity": state.capacity,
                    "pool": pool.name,
                }
            )
        if entry.position > 1 and not reason.strip():
            raise TransitionRefused(
                _(
                    "%(commune)s est au rang %(position)s de la file : indiquez le motif pour "
                    "lequel elle passe avant les communes qui la précèdent."
                )
                % {"commune": membership.commune.name, "position": entry.position}
            )
        membership.admitted_on = on
        membership.estimated_load_days = entry.load
        _move(
            membership=membership,
            to=Status.ADMITTED,
            by=by,
            reason=reason,
            on=on,
            fields=("admitted_on", "estimated_load_days"),
        )
    notify_step(
        membership=membership,
        step=Status.ADMITTED,
        by=by,
        detail=_("Charge estimée : %(load)s jours par an.") % {"load": entry.load},
    )
    return membership
