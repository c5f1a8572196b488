"""Renewal: a member of a programme continues in its successor, as its council decided."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.membership import capacity
from mutualis.membership.enums import Status
from mutualis.membership.models import Deliberation, Membership, RenewalRefusal
from mutualis.membership.services.applications import apply_for_advanced_offer, join_base_offer
from mutualis.membership.services.conventions import issue_amendment
from mutualis.membership.services.transitions import (
    TransitionRefused,
    _check_deliberation,
    _move,
    _today,
)
from mutualis.programme.models import Programme


def _check_renewal(*, membership: Membership, successor: Programme, deliberation) -> None:
    """A renewal is decided by the commune's council, in a deliberation without legal errors held
    before the programme it renews ends, for a membership still open there."""
    previous = membership.programme
    if successor.predecessor_id != previous.pk:
        raise TransitionRefused(
            _("Le programme %(successor)s ne succède pas à %(previous)s.")
            % {"successor": successor.slug, "previous": previous.slug}
        )
    if not membership.is_open:
        raise TransitionRefused(
            _("L'adhésion de %(commune)s n'est plus en cours (%(status)s) : rien à renouveler.")
            % {"commune": membership.commune.name, "status": membership.get_status_display()}
        )
    if deliberation is None:
        raise TransitionRefused(
            _("Le renouvellement est décidé par le conseil municipal : indiquez sa délibération.")
        )
    _check_deliberation(deliberation, membership.commune)
    end = previous.spec.programme.end
    if deliberation.session_date > end:
        raise TransitionRefused(
            _(
                "La délibération n° %(number)s du %(date)s est postérieure à la fin du programme "
                "(%(end)s) : le renouvellement doit être décidé avant."
            )
            % {
                "number": deliberation.number,
                "date": deliberation.session_date.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
        )
    if deliberation.errors:
        raise TransitionRefused(
            _("La délibération n° %(number)s a des erreurs de forme : %(errors)s")
            % {
                "number": deliberation.number,
                "errors": " ; ".join(f["message"] for f in deliberation.errors),
            }
        )
    if Membership.objects.open().filter(programme=successor, renews=membership).exists():
        raise TransitionRefused(
            _("%(commune)s a déjà renouvelé son adhésion pour %(successor)s.")
            % {"commune": membership.commune.name, "successor": successor.slug}
        )


def renew_membership(
    *,
    membership: Membership,
    successor: Programme,
    deliberation: Deliberation,
    by,
    offer_code: str | None = None,
    on: date | None = None,
) -> Membership:
    """The commune continues in the successor programme, as its council decided.

    - the same base offer: a new base membership from the successor's start;
    - the same advanced offer: an amendment numbered under its convention carries it on, and the
      new membership is active from the successor's start;
    - another offer: an application in the successor, admitted and given a new convention by the
      usual steps.
    The membership of the first programme ends on its end date (`close_memberships`).
    """
    offer_code = offer_code or membership.offer_code
    start = successor.spec.programme.start
    _check_renewal(membership=membership, successor=successor, deliberation=deliberation)
    successor.spec.offer(offer_code)  # an offer the successor does not have: KeyError
    commune = membership.commune
    reason = _("Renouvellement décidé par la délibération n° %(number)s du %(date)s") % {
        "number": deliberation.number,
        "date": deliberation.session_date.strftime("%d/%m/%Y"),
    }
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=successor.pk)  # one renewal at a time
        refusal = _supersedable_refusal(membership=membership, successor=successor, on=on)
        load = None
        if offer_code == membership.offer_code and offer_code != successor.spec.base_offer.code:
            load = _check_capacity(successor=successor, commune=commune, offer_code=offer_code)
        if offer_code != membership.offer_code:
            renewal = apply_for_advanced_offer(
                programme=successor,
                commune=commune,
                offer_code=offer_code,
                by=by,
                on=on or _today(),
                deliberation=deliberation,
            )
        elif offer_code == successor.spec.base_offer.code:
            renewal = join_base_offer(
                programme=successor,
                commune=commune,
                by=by,
                reason=reason,
                on=start,
                deliberation=deliberation,
            )
        else:
            convention = getattr(membership, "convention", None)
            if convention is None:
                raise TransitionRefused(
                    _("%(commune)s n'a pas de convention à prolonger par avenant.")
                    % {"commune": commune.name}
                )
            renewal = Membership.objects.create(
                programme=successor,
                commune=commune,
                offer_code=offer_code,
                status="",
                admitted_on=on or _today(),
                estimated_load_days=load if load is not None else membership.estimated_load_days,
                signed_on=convention.signed_on,
                start_date=start,
            )
            amendment = issue_amendment(
                convention=convention,
                subject=_("Renouvellement pour le programme %(programme)s, du %(start)s au %(end)s")
                % {
                    "programme": successor.name,
                    "start": start.strftime("%d/%m/%Y"),
                    "end": successor.spec.programme.end.strftime("%d/%m/%Y"),
                },
                by=by,
                on=on,
            )
            amendment.renewal = renewal
            amendment.save(update_fields=["renewal"])
            _move(
                membership=renewal,
                to=Status.ACTIVE,
                by=by,
                reason=reason,
                on=on,
                deliberation=deliberation,
            )
        renewal.renews = membership
        renewal.save(update_fields=["renews"])
        if refusal is not None:
            refusal.superseded_by = renewal
            refusal.save(update_fields=["superseded_by"])
    return renewal


def _check_capacity(*, successor: Programme, commune, offer_code: str):
    """The successor's capacity applies to a renewal by amendment (which is active at once): its
    pool for the offer must have room for the commune's load under the new file's rules. Gives
    that load (None for an offer outside any pool)."""
    pool = next((p for p in successor.spec.capacity_pools if offer_code in p.offers), None)
    if pool is None:
        return None
    state = capacity.pool_state(successor, pool.code, on=successor.spec.programme.start)
    load = capacity.load_for(pool, commune)
    if state.used + load > state.capacity:
        raise TransitionRefused(
            _(
                "Capacité du programme %(programme)s insuffisante pour renouveler %(commune)s : "
                "sa charge estimée est de %(load)s jours, il reste %(free)s jours sur "
                "%(capacity)s dans le vivier « %(pool)s »."
            )
            % {
                "programme": successor.name,
                "commune": commune.name,
                "load": load,
                "free": max(state.free, 0),
                "capacity": state.capacity,
                "pool": pool.name,
            }
        )
    return load


def _supersedable_refusal(*, membership: Membership, successor: Programme, on: date | None):
    """A standing refusal of this renewal, which a renewal may supersede only until the end of
    the programme it renews."""
    refusal = (
        RenewalRefusal.objects.standing().filter(membership=membership, successor=successor).first()
    )
    end = membership.programme.spec.programme.end
    if refusal is not None and (on or _today()) > end:
        raise TransitionRefused(
            _(
                "%(commune)s a refusé le renouvellement le %(date)s ; ce refus ne peut plus être "
                "remplacé par un renouvellement après la fin du programme (%(end)s)."
            )
            % {
                "commune": membership.commune.name,
                "date": timezone.localtime(refusal.recorded_at).strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
        )
    return refusal


def refuse_renewal(
    *,
    membership: Membership,
    successor: Programme,
    reason: str,
    by,
    deliberation: Deliberation | None = None,
) -> RenewalRefusal:
    """Record that a member commune does not continue in the successor programme (who, when,
    why; never deleted). Its membership ends with the programme (`close_memberships`); a renewal
    decided before that end supersedes the refusal."""
    previous = membership.programme
    if successor.predecessor_id != previous.pk:
        raise TransitionRefused(
            _("Le programme %(successor)s ne succède pas à %(previous)s.")
            % {"successor": successor.slug, "previous": previous.slug}
        )
    if not reason.strip():
        raise TransitionRefused(
            _("Indiquez pourquoi %(commune)s ne renouvelle pas son adhésion.")
            % {"commune": membership.commune.name}
        )
    if deliberation is not None and deliberation.commune_id != membership.commune_id:
        raise TransitionRefused(_("Cette délibération n'est pas celle de la commune."))
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=successor.pk)
        if Membership.objects.open().filter(programme=successor, renews=membership).exists():
            raise TransitionRefused(
                _("%(commune)s a déjà renouvelé son adhésion pour %(successor)s.")
                % {"commune": membership.commune.name, "successor": successor.slug}
            )
        if (
            RenewalRefusal.objects.standing()
            .filter(membership=membership, successor=successor)
            .exists()
        ):
            raise TransitionRefused(
                _("Le refus de %(commune)s est déjà enregistré.")
                % {"commune": membership.commune.name}
            )
        refusal = RenewalRefusal.objects.create(
            membership=membership,
            successor=successor,
            reason=reason.strip(),
            deliberation=deliberation,
            recorded_by=by,
        )
        audit.record(
            action="membership.renewal_refused",
            obj=membership,
            by=by,
            summary=_("%(commune)s ne renouvelle pas son adhésion pour %(successor)s")
            % {"commune": membership.commune.name, "successor": successor.name},
            reason=reason.strip(),
            commune_insee=membership.commune.insee_code,
        )
    return refusal
