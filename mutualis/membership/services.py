"""Membership workflows: each state change is one function that records who, when and why."""

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership, Transition


class TransitionRefused(ValueError):
    """An illegal move; the message says why, in French."""


def _move(*, membership: Membership, to: Status, by, reason: str = "") -> Transition:
    transition = Transition.objects.create(
        membership=membership,
        from_status=membership.status or "",
        to_status=to,
        by=by if getattr(by, "pk", None) else None,
        reason=reason,
    )
    membership.status = to
    membership.save(update_fields=["status"])
    audit.record(
        action=f"membership.{to}",
        obj=membership,
        by=by,
        summary=f"{membership.commune.name} — {membership.offer_name()} : {Status(to).label}",
        commune_insee=membership.commune.insee_code,
        reason=reason,
    )
    return transition


def join_base_offer(*, programme, commune, by, reason: str = "") -> Membership:
    """The commune joins the free base offer (its council deliberation authorises it)."""
    base = programme.spec.base_offer
    with transaction.atomic():
        existing = (
            Membership.objects.open()
            .filter(programme=programme, commune=commune, offer_code=base.code)
            .first()
        )
        if existing:
            raise TransitionRefused(
                _("%(commune)s a déjà adhéré au socle de base.") % {"commune": commune.name}
            )
        membership = Membership.objects.create(
            programme=programme, commune=commune, offer_code=base.code, status=""
        )
        _move(membership=membership, to=Status.JOINED, by=by, reason=reason)
    return membership
