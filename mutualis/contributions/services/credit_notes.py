"""Credit notes: cancelling a call, and crediting the periods after a commune's exit."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.enums import CallStatus, CreditNoteKind
from mutualis.contributions.models import ZERO, Call, CreditNote, PopulationConfirmation, money
from mutualis.contributions.schedule import PaidIn
from mutualis.contributions.services._common import ContributionError, _d, _euros
from mutualis.contributions.services.calls import (
    CREDIT_NOTE_SERIES,
    _check_chronology,
    _document_context,
    _issue,
)
from mutualis.contributions.services.schedules import (
    DuePeriod,
    period_label,
    schedule_for_membership,
)
from mutualis.core import audit
from mutualis.core.numbering import next_number
from mutualis.core.pdf import render_pdf
from mutualis.membership.models import Membership

# --- Cancellation, exits, credit notes -------------------------------------------------------


def _credit(*, call: Call, amount: Decimal, kind: CreditNoteKind, reason: str, on: date, by):
    spec = call.programme.spec
    seq = next_number(CREDIT_NOTE_SERIES, on.year)
    note = CreditNote(
        number=spec.contributions.credit_note_number_format.format(year=on.year, seq=seq),
        year=on.year,
        seq=seq,
        call=call,
        commune=call.commune,
        kind=kind,
        amount=amount,
        reason=reason,
        issued_on=on,
        issued_by=by if getattr(by, "pk", None) else None,
    )
    note.pdf = render_pdf(
        "contributions/credit_note_pdf.html",
        {**_document_context(call.programme), "note": note, "call": call, "commune": call.commune},
    )
    note.save()
    audit.record(
        action="contributions.credit_note_issued",
        obj=note,
        by=by,
        summary=_("Avoir %(note)s sur l'appel %(call)s (%(commune)s) : %(amount)s")
        % {
            "note": note.number,
            "call": call.number,
            "commune": call.commune.name,
            "amount": _euros(amount),
        },
        commune_insee=call.commune.insee_code,
        reason=reason,
    )
    return note


@dataclass(frozen=True)
class Cancellation:
    credit_note: CreditNote | None
    replacement: Call | None


def cancel_call(*, call: Call, reason: str, by, on: date | None = None) -> Cancellation:
    """Cancel an issued call by a credit note for what it still claims, and issue its replacement
    recomputed from today's data (when the period is still owed). The call keeps its number."""
    on = on or timezone.localdate()
    reason = reason.strip()
    label = _("%(commune)s, %(period)s") % {
        "commune": call.commune.name,
        "period": period_label(call.period_start, call.period_end),
    }
    if not reason:
        raise ContributionError(
            _("Appel %(number)s (%(label)s) : le motif est obligatoire.")
            % {"number": call.number, "label": label}
        )
    with transaction.atomic():
        call = (
            Call.objects.select_for_update().select_related("commune", "membership").get(pk=call.pk)
        )
        if call.is_cancelled:
            raise ContributionError(
                _("L'appel %(number)s (%(label)s) est déjà annulé.")
                % {"number": call.number, "label": label}
            )
        if call.payments.exists():
            raise ContributionError(
                _(
                    "L'appel %(number)s (%(label)s) a déjà reçu des paiements : il ne peut pas "
                    "être annulé. Émettez un avoir de sortie ou régularisez sur l'appel suivant."
                )
                % {"number": call.number, "label": label}
            )
        _check_chronology(on)
        credited = money(call.credit_notes.aggregate(s=Sum("amount"))["s"])
        remaining = call.amount - credited
        note = None
        if remaining > 0:
            note = _credit(
                call=call,
                amount=remaining,
                kind=CreditNoteKind.CANCELLATION,
                reason=reason,
                on=on,
                by=by,
            )
        call.status = CallStatus.CANCELLED
        call.cancelled_at = timezone.now()
        call.cancelled_by = by if getattr(by, "pk", None) else None
        call.cancel_reason = reason
        call.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        audit.record(
            action="contributions.call_cancelled",
            obj=call,
            by=by,
            summary=_("Appel %(number)s annulé (%(label)s)")
            % {"number": call.number, "label": label},
            commune_insee=call.commune.insee_code,
            reason=reason,
        )
        replacement = None
        membership = Membership.objects.select_related("commune", "programme").get(
            pk=call.membership_id
        )
        period = next(
            (
                p
                for p in schedule_for_membership(membership).periods
                if p.start == call.period_start
            ),
            None,
        )
        if period is not None:
            confirmation = PopulationConfirmation.objects.filter(
                membership=membership,
                period_start=period.start,
                population=period.population,
                population_vintage=period.population_vintage,
            ).first()
            due = DuePeriod(membership, period, confirmation)
            if not due.needs_confirmation:
                replacement = _issue(due=due, on=on, by=by, replaces=call)
    return Cancellation(credit_note=note, replacement=replacement)


def reconcile_calls_after_exit(*, membership: Membership, by, on: date | None = None) -> list:
    """Credit the part of already-called periods that an exit no longer makes owed.

    Call it after recording an exit request (or an exit) on `membership`: it reads
    `membership.exit_requested_on`, re-prices each live call of the membership on the days now
    served (same population and rate as the call), and issues a credit note `AV-YYYY-NNNN` for
    the difference. A period no longer served at all is credited in full and the call marked
    cancelled. Idempotent: running it again credits nothing more. Returns the credit notes issued.
    """
    if membership.exit_requested_on is None or membership.start_date is None:
        return []
    if not Call.objects.filter(membership=membership).exists():
        return []  # nothing called (the free base offer, or an exit before any call)
    on = on or timezone.localdate()
    # Only the periods' bounds matter here: a schedule in days needs no population.
    served = {p.start: p for p in schedule_for_membership(membership, paid_in=PaidIn.DAYS).periods}
    quantum = membership.programme.spec.contributions.money_quantum
    notes = []
    with transaction.atomic():
        calls = (
            Call.objects.live()
            .select_for_update()
            .filter(membership=membership)
            .select_related("commune", "programme")
            .order_by("period_start")
        )
        for call in calls:
            period = served.get(call.period_start)
            if period is not None and period.days_served >= call.days_served:
                continue
            new_amount = (
                ZERO
                if period is None
                else contribution_rules.prorated_amount(
                    rate=call.rate,
                    population=call.population,
                    days_served=period.days_served,
                    days_in_period=call.days_in_period,
                    quantum=quantum,
                )
            )
            credited = money(call.credit_notes.aggregate(s=Sum("amount"))["s"])
            credit = call.amount - credited - new_amount
            if credit <= 0:
                continue
            if period is None:
                reason = _("Sortie demandée le %(asked)s : la %(period)s n'est plus due.") % {
                    "asked": _d(membership.exit_requested_on),
                    "period": period_label(call.period_start, call.period_end),
                }
            else:
                reason = _(
                    "Sortie demandée le %(asked)s : période servie du %(start)s au %(end)s "
                    "(%(served)s jours sur %(days)s), soit %(amount)s au lieu de %(called)s."
                ) % {
                    "asked": _d(membership.exit_requested_on),
                    "start": _d(period.start),
                    "end": _d(period.end),
                    "served": period.days_served,
                    "days": call.days_in_period,
                    "amount": _euros(new_amount),
                    "called": _euros(call.amount),
                }
            if not notes:
                _check_chronology(on)
            notes.append(
                _credit(
                    call=call, amount=credit, kind=CreditNoteKind.EXIT, reason=reason, on=on, by=by
                )
            )
            if new_amount == 0:
                call.status = CallStatus.CANCELLED
                call.cancelled_at = timezone.now()
                call.cancelled_by = by if getattr(by, "pk", None) else None
                call.cancel_reason = reason
                call.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return notes
