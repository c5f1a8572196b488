"""Leaving: the exit terms, the request, the effective exit, and ending or closing memberships."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.membership import rules
from mutualis.membership.enums import Status
from mutualis.membership.models import Deliberation, Membership
from mutualis.membership.services.applications import withdraw_application
from mutualis.membership.services.notifications import notify_step
from mutualis.membership.services.transitions import (
    TransitionRefused,
    _check_deliberation,
    _locked,
    _move,
    _refuse_move,
    _today,
)
from mutualis.programme.models import Programme


def exit_terms_for(membership: Membership, *, on: date | None = None) -> rules.ExitTerms:
    """What asking to leave on `on` would mean for this membership (shown before confirming)."""
    on = on or _today()
    spec = membership.programme.spec
    started = membership.status in {Status.ACTIVE, Status.JOINED} and (
        membership.start_date is None or membership.start_date <= on
    )
    return rules.exit_terms(
        asked_on=on,
        started=started,
        is_base=membership.is_base,
        free_exit_date=spec.programme.free_exit_date,
        programme_end=spec.programme.end,
    )


def request_exit(
    *,
    membership: Membership,
    by,
    reason: str = "",
    on: date | None = None,
    deliberation: Deliberation | None = None,
) -> Membership:
    """The commune asks to leave. Free exit on the free-exit date when asked by then; otherwise
    committed to the programme's end; before the membership starts, the application is withdrawn;
    the free base offer is left at once (once no advanced membership is open)."""
    on = on or _today()
    _check_deliberation(deliberation, membership.commune)
    terms = exit_terms_for(membership, on=on)
    if terms.kind == "withdrawal":
        return withdraw_application(membership=membership, by=by, reason=reason, on=on)
    with transaction.atomic():
        membership = _locked(membership)
        if membership.is_base:
            advanced = (
                Membership.objects.open()
                .filter(programme=membership.programme, commune=membership.commune)
                .exclude(pk=membership.pk)
                .first()
            )
            if advanced is not None:
                raise TransitionRefused(
                    _(
                        "%(commune)s ne peut pas quitter le socle de base tant que son adhésion "
                        "aux services avancés est en cours (%(status)s) : les services avancés "
                        "l'incluent."
                    )
                    % {"commune": membership.commune.name, "status": advanced.get_status_display()}
                )
        membership.exit_requested_on = on
        membership.effective_exit = terms.effective
        _move(
            membership=membership,
            to=Status.EXIT_REQUESTED,
            by=by,
            reason=reason or terms.explanation,
            on=on,
            deliberation=deliberation,
            fields=("exit_requested_on", "effective_exit"),
        )
        if terms.kind == "immediate":
            _move(membership=membership, to=Status.EXITED, by=by, reason=reason, on=on)
        # The one documented reverse edge (ARCHITECTURE.md): the calls already issued are
        # credited for the days the exit no longer makes owed, in the exit's own transaction.
        from mutualis.contributions.services import reconcile_calls_after_exit

        reconcile_calls_after_exit(membership=membership, by=by)
    notify_step(membership=membership, step=membership.status, by=by, detail=terms.explanation)
    return membership


def exit_membership(
    *, membership: Membership, by, on: date | None = None, reason: str = ""
) -> Membership:
    """The requested exit takes effect (run by `close_memberships` on or after its date)."""
    on = on or _today()
    with transaction.atomic():
        membership = _locked(membership)
        _refuse_move(membership, Status.EXITED)
        if membership.effective_exit and on < membership.effective_exit:
            raise TransitionRefused(
                _("La sortie %(of_commune)s ne prend effet que le %(date)s.")
                % {
                    "of_commune": rules.of_place(membership.commune.name),
                    "date": membership.effective_exit.strftime("%d/%m/%Y"),
                }
            )
        _move(
            membership=membership,
            to=Status.EXITED,
            by=by,
            reason=reason,
            on=membership.effective_exit or on,
        )
    notify_step(membership=membership, step=Status.EXITED, by=by)
    return membership


def end_membership(*, membership: Membership, by, on: date) -> Membership:
    """The programme has ended: the membership ends with it."""
    with transaction.atomic():
        membership = _locked(membership)
        end = membership.programme.spec.programme.end
        if on <= end:
            raise TransitionRefused(
                _("Le programme ne se termine que le %(end)s.") % {"end": end.strftime("%d/%m/%Y")}
            )
        if membership.status in {Status.ACTIVE, Status.EXIT_REQUESTED, Status.JOINED}:
            membership.effective_exit = membership.effective_exit or end
        _move(
            membership=membership,
            to=Status.ENDED,
            by=by,
            reason=_("Fin du programme le %(end)s") % {"end": end.strftime("%d/%m/%Y")},
            on=end,
            fields=("effective_exit",),
        )
    notify_step(membership=membership, step=Status.ENDED, by=by)
    return membership


def close_memberships(*, on: date, by=None, progress=None) -> dict[str, int]:
    """Daily, idempotent: apply the exits due by `on`; after the programme's end, end the rest."""
    done = {"exited": 0, "ended": 0}
    due = list(
        Membership.objects.filter(status=Status.EXIT_REQUESTED, effective_exit__lte=on)
        .select_related("commune", "programme")
        .order_by("pk")
    )
    ending = []
    for programme in Programme.objects.all():
        if on > programme.spec.programme.end:
            ending += list(
                Membership.objects.open()
                .filter(programme=programme)
                .exclude(pk__in=[m.pk for m in due])
                .select_related("commune", "programme")
                .order_by("pk")
            )
    total = len(due) + len(ending)
    for index, membership in enumerate(due, start=1):
        exit_membership(membership=membership, by=by, on=on, reason=_("Sortie à la date prévue"))
        done["exited"] += 1
        if progress:
            progress("sorties", index, total)
    for index, membership in enumerate(ending, start=len(due) + 1):
        end_membership(membership=membership, by=by, on=on)
        done["ended"] += 1
        if progress:
            progress("fin", index, total)
    if progress and total == 0:
        progress("rien à faire", 0, 0)
    return done
