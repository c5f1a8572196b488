"""Joining the base offer, applying for an advanced offer, withdrawing an application."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.membership import rules
from mutualis.membership.enums import OPEN, Status
from mutualis.membership.models import Deliberation, Membership
from mutualis.membership.services.notifications import notify_step
from mutualis.membership.services.transitions import (
    TransitionRefused,
    _check_deliberation,
    _locked,
    _move,
    _today,
)
from mutualis.programme.models import Programme


def join_base_offer(
    *,
    programme: Programme,
    commune,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
) -> Membership:
    """The commune joins the free base offer (its council deliberation authorises it)."""
    base = programme.spec.base_offer
    _check_deliberation(deliberation, commune)
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
            programme=programme,
            commune=commune,
            offer_code=base.code,
            status="",
            start_date=on or _today(),
        )
        _move(
            membership=membership,
            to=Status.JOINED,
            by=by,
            reason=reason,
            on=on,
            deliberation=deliberation,
        )
    notify_step(membership=membership, step=Status.JOINED, by=by)
    return membership


def apply_for_advanced_offer(
    *,
    programme: Programme,
    commune,
    offer_code: str,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
) -> Membership:
    """The commune applies for an advanced offer: open to it, and it is in the base offer."""
    spec = programme.spec
    on = on or _today()
    try:
        offer = spec.offer(offer_code)
    except KeyError:
        raise TransitionRefused(
            _("L'offre « %(code)s » n'existe pas dans le programme.") % {"code": offer_code}
        ) from None
    if offer.kind != "advanced":
        raise TransitionRefused(
            _("« %(offer)s » n'est pas une offre de services avancés.") % {"offer": offer.name}
        )
    if not offer.is_open_to(has_it_department=commune.has_it_department):
        raise TransitionRefused(
            _(
                "L'offre « %(offer)s » n'est pas ouverte à %(commune)s : elle est réservée aux "
                "communes %(which)s."
            )
            % {
                "offer": offer.name,
                "commune": commune.name,
                "which": _("disposant d'une DSI")
                if offer.open_to == "with_it_department"
                else _("sans DSI"),
            }
        )
    if on > spec.programme.end:
        raise TransitionRefused(
            _("Le programme s'est terminé le %(end)s : plus aucune candidature n'est possible.")
            % {"end": spec.programme.end.strftime("%d/%m/%Y")}
        )
    _check_deliberation(deliberation, commune)
    advanced_codes = [o.code for o in spec.advanced_offers()]
    with transaction.atomic():
        memberships = Membership.objects.select_for_update().filter(
            programme=programme, commune=commune, status__in=OPEN
        )
        open_codes = {m.offer_code: m for m in memberships}
        base = open_codes.get(spec.base_offer.code)
        if base is None or base.status != Status.JOINED:
            raise TransitionRefused(
                _(
                    "%(commune)s doit d'abord adhérer au socle de base (par délibération) avant "
                    "de candidater aux services avancés."
                )
                % {"commune": commune.name}
            )
        current = next((open_codes[c] for c in advanced_codes if c in open_codes), None)
        if current is not None:
            raise TransitionRefused(
                _("%(commune)s a déjà une adhésion en cours aux services avancés : %(status)s.")
                % {"commune": commune.name, "status": current.get_status_display()}
            )
        membership = Membership.objects.create(
            programme=programme, commune=commune, offer_code=offer.code, status="", applied_on=on
        )
        _move(
            membership=membership,
            to=Status.APPLIED,
            by=by,
            reason=reason,
            on=on,
            deliberation=deliberation,
        )
    notify_step(membership=membership, step=Status.APPLIED, by=by)
    return membership


def withdraw_application(
    *, membership: Membership, by, reason: str = "", on: date | None = None
) -> Membership:
    """An application (or a signed membership not yet started) is withdrawn; nothing is owed."""
    on = on or _today()
    with transaction.atomic():
        membership = _locked(membership)
        if membership.status == Status.ACTIVE and (
            membership.start_date is None or membership.start_date <= on
        ):
            raise TransitionRefused(
                _(
                    "L'adhésion %(of_commune)s a commencé le %(start)s : elle ne peut plus être "
                    "retirée, seulement faire l'objet d'une demande de sortie."
                )
                % {
                    "of_commune": rules.of_place(membership.commune.name),
                    "start": membership.start_date.strftime("%d/%m/%Y")
                    if membership.start_date
                    else "—",
                }
            )
        membership.exit_requested_on = on
        membership.effective_exit = None
        _move(
            membership=membership,
            to=Status.WITHDRAWN,
            by=by,
            reason=reason,
            on=on,
            fields=("exit_requested_on", "effective_exit"),
        )
    notify_step(membership=membership, step=Status.WITHDRAWN, by=by)
    return membership
