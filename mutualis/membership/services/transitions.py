"""The membership state machine: which moves are allowed, and the one function that makes one."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.membership import rules
from mutualis.membership.enums import NOT_STARTED, OPEN, Status
from mutualis.membership.models import Deliberation, Membership, Transition

# Which states each state may be reached from ("" = a new membership).
ALLOWED_FROM: dict[Status, frozenset[str]] = {
    Status.JOINED: frozenset({""}),
    Status.APPLIED: frozenset({""}),
    Status.QUEUED: frozenset({Status.APPLIED}),
    Status.ADMITTED: frozenset({Status.QUEUED}),
    Status.CONVENTION_ISSUED: frozenset({Status.ADMITTED}),
    # "" -> active: a renewal by amendment, the convention carried on (renew_membership).
    Status.ACTIVE: frozenset({Status.CONVENTION_ISSUED, ""}),
    Status.EXIT_REQUESTED: frozenset({Status.ACTIVE, Status.JOINED}),
    Status.EXITED: frozenset({Status.EXIT_REQUESTED}),
    Status.WITHDRAWN: frozenset({*NOT_STARTED, Status.ACTIVE}),
    Status.ENDED: frozenset(OPEN),
}


class TransitionRefused(ValueError):
    """An illegal move; the message says why, in French."""


# --- the moves ---------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _refuse_move(membership: Membership, to: Status) -> None:
    current = membership.status or ""
    if current not in ALLOWED_FROM[to]:
        raise TransitionRefused(
            _(
                "Étape refusée pour %(commune)s (%(offer)s) : l'adhésion est « %(current)s », "
                "elle ne peut pas passer à « %(to)s »."
            )
            % {
                "commune": membership.commune.name,
                "offer": membership.offer_name(),
                "current": Status(current).label if current else _("nouvelle"),
                "to": Status(to).label,
            }
        )


def _move(
    *,
    membership: Membership,
    to: Status,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
    fields: tuple[str, ...] = (),
) -> Transition:
    _refuse_move(membership, to)
    transition = Transition.objects.create(
        membership=membership,
        from_status=membership.status or "",
        to_status=to,
        on=on or _today(),
        by=by if getattr(by, "pk", None) else None,
        reason=reason,
        deliberation=deliberation,
    )
    membership.status = to
    membership.save(update_fields=["status", *fields])
    if deliberation is not None and deliberation.membership_id is None:
        deliberation.membership = membership
        deliberation.save(update_fields=["membership"])
    audit.record(
        action=f"membership.{to}",
        obj=membership,
        by=by,
        summary=_("%(commune)s — %(offer)s : %(status)s")
        % {
            "commune": membership.commune.name,
            "offer": membership.offer_name(),
            "status": Status(to).label,
        },
        commune_insee=membership.commune.insee_code,
        reason=reason,
        changes={"de": transition.from_status, "à": str(to), "date": str(transition.on)},
    )
    return transition


def _locked(membership: Membership) -> Membership:
    """The membership re-read under a row lock, so two people cannot move it at once."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("commune", "programme")
        .get(pk=membership.pk)
    )


def _check_deliberation(deliberation: Deliberation | None, commune) -> None:
    if deliberation is not None and deliberation.commune_id != commune.pk:
        raise TransitionRefused(
            _("La délibération n° %(number)s n'est pas celle %(of_commune)s.")
            % {"number": deliberation.number, "of_commune": rules.of_place(commune.name)}
        )
