"""Workflows of contributions: issuing and cancelling calls, crediting exits, recording payments,
confirming estimated populations, logging and validating days in kind.

Each workflow is one keyword-only function that checks everything first and then writes in one
transaction, with its audit entries: bad data is refused with a French message naming the commune
and the period, and nothing is written.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.enums import (
    CallStatus,
    CreditNoteKind,
    DayStatus,
    PaymentSource,
)
from mutualis.contributions.models import (
    ZERO,
    Call,
    CreditNote,
    DayEntry,
    Payment,
    PaymentStatement,
    PopulationConfirmation,
    money,
)
from mutualis.contributions.schedule import (
    PaidIn,
    Period,
    Schedule,
    ScheduleError,
    compute_schedule,
    first_membership_year,
)
from mutualis.contributions.statement import StatementError, StatementRow, parse_statement
from mutualis.core import audit
from mutualis.core.numbering import lock_series, next_number
from mutualis.core.pdf import render_pdf
from mutualis.core.validators import date_problem
from mutualis.membership.enums import Status
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

# Memberships whose periods are owed: running, leaving, or over (a commune that left still owes
# the periods it was served, up to its effective exit).
OWING_STATES = frozenset({Status.ACTIVE, Status.EXIT_REQUESTED, Status.EXITED, Status.ENDED})


class ContributionError(ValueError):
    """A refused contribution workflow; the message (French) names the commune and the period."""


def _d(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _euros(value: Decimal) -> str:
    return f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",")


def period_label(start: date, end: date) -> str:
    return _("période du %(start)s au %(end)s") % {"start": _d(start), "end": _d(end)}


# --- Schedules of memberships ----------------------------------------------------------------


def _first_year(membership: Membership) -> int:
    """Year 1, or, where the programme file counts rates from the first programme, the year a
    renewed membership has reached since its first start."""
    if membership.programme.spec.contributions.rates_count_from != "first_programme":
        return 1
    first_start = membership.first_start()
    if first_start is None or first_start >= membership.start_date:
        return 1
    return first_membership_year(first_start=first_start, start=membership.start_date)


def schedule_for_membership(membership: Membership, *, paid_in: PaidIn | None = None) -> Schedule:
    """The periods a membership owes, from its start date and its exit request, if any.

    Populations come from `membership.commune.populations` (prefetch them for many memberships).
    """
    spec = membership.programme.spec
    commune = membership.commune
    if membership.start_date is None:
        raise ContributionError(
            _("%(commune)s : l'adhésion n'a pas de date de début, aucune période n'est due.")
            % {"commune": commune.name}
        )
    kind = paid_in or contribution_rules.paid_in(spec, membership.offer_code)
    populations = (
        contribution_rules.populations_by_vintage(
            commune.populations.all(), spec.contributions.population_basis
        )
        if kind is PaidIn.EUROS
        else {}
    )
    try:
        return compute_schedule(
            rules=contribution_rules.contribution_rules(spec, membership.offer_code),
            start=membership.start_date,
            paid_in=kind,
            populations=populations,
            exit_requested=membership.exit_requested_on,
            first_year=_first_year(membership),
        )
    except ScheduleError as exc:
        raise ContributionError(
            _("%(commune)s : %(error)s") % {"commune": commune.name, "error": exc}
        ) from exc


def owing_memberships(programme: Programme, *, paid_in: PaidIn = PaidIn.EUROS) -> list[Membership]:
    spec = programme.spec
    memberships = (
        Membership.objects.filter(
            programme=programme, status__in=OWING_STATES, start_date__isnull=False
        )
        .select_related("commune", "programme")
        .prefetch_related("commune__populations")
        .order_by("commune__name", "start_date")
    )
    return [
        m
        for m in memberships
        if contribution_rules.is_paid(spec, m.offer_code)
        and contribution_rules.paid_in(spec, m.offer_code) is paid_in
    ]


@dataclass(frozen=True)
class DuePeriod:
    """A period that should be called and is not yet: ready, or waiting for a confirmation."""

    membership: Membership
    period: Period
    confirmation: PopulationConfirmation | None

    @property
    def commune(self):
        return self.membership.commune

    @property
    def needs_confirmation(self) -> bool:
        return self.period.population_estimated and self.confirmation is None

    def label(self) -> str:
        return _("%(commune)s, %(period)s") % {
            "commune": self.commune.name,
            "period": period_label(self.period.start, self.period.end),
        }


def due_periods(*, programme: Programme, on: date) -> list[DuePeriod]:
    """Every period started on or before `on` (a period is called when it starts) and not called.

    Raises ContributionError, naming the commune and the period, when one cannot be computed."""
    memberships = owing_memberships(programme)
    called = set(
        Call.objects.live()
        .filter(membership__in=memberships)
        .values_list("membership_id", "period_start")
    )
    confirmations = {
        (c.membership_id, c.period_start): c
        for c in PopulationConfirmation.objects.filter(membership__in=memberships)
    }
    due = []
    for membership in memberships:
        if membership.start_date > on:
            continue
        for period in schedule_for_membership(membership).periods:
            if period.start > on or (membership.pk, period.start) in called:
                continue
            confirmation = confirmations.get((membership.pk, period.start))
            if confirmation and (confirmation.population, confirmation.population_vintage) != (
                period.population,
                period.population_vintage,
            ):
                confirmation = None  # the estimate changed since: confirm it again
            due.append(DuePeriod(membership, period, confirmation))
    return due


# --- Numbers and documents -------------------------------------------------------------------

# Series of core.numbering; the programme file formats the numbers (`YYYY-NNNN`, `AV-YYYY-NNNN`).
CALL_SERIES = "call"
CREDIT_NOTE_SERIES = "credit_note"


def _check_chronology(on: date) -> None:
    latest = max(
        filter(
            None,
            [
                Call.objects.filter(year=on.year).aggregate(d=Max("issued_on"))["d"],
                CreditNote.objects.filter(year=on.year).aggregate(d=Max("issued_on"))["d"],
            ],
        ),
        default=None,
    )
    if latest and latest > on:
        raise ContributionError(
            _(
                "Des documents ont déjà été émis le %(latest)s : les numéros suivant l'ordre des "
                "dates, rien ne peut être émis à une date antérieure (%(on)s)."
            )
            % {"latest": _d(latest), "on": _d(on)}
        )


def _document_context(programme: Programme) -> dict:
    spec = programme.spec
    return {"spec": spec, "operator": spec.programme, "terms": spec.contributions}


def _issue(*, due: DuePeriod, on: date, by, replaces: Call | None = None) -> Call:
    membership, period = due.membership, due.period
    commune = membership.commune
    spec = membership.programme.spec
    if due.needs_confirmation:
        raise ContributionError(
            _(
                "%(due)s : la population %(vintage)s est une estimation (millésime %(year)s non "
                "chargé) ; un coordinateur doit la confirmer avant l'appel."
            )
            % {"due": due.label(), "vintage": period.population_vintage, "year": period.start.year}
        )
    seq = next_number(CALL_SERIES, on.year)
    call = Call(
        number=spec.contributions.call_number_format.format(year=on.year, seq=seq),
        year=on.year,
        seq=seq,
        programme=membership.programme,
        membership=membership,
        commune=commune,
        offer_code=membership.offer_code,
        debtor_name=commune.name,
        debtor_siren=commune.siren,
        period_start=period.start,
        period_end=period.end,
        membership_year=period.membership_year,
        population=period.population,
        population_vintage=period.population_vintage,
        population_estimated=period.population_estimated,
        rate=period.rate,
        days_served=period.days_served,
        days_in_period=period.days_in_period,
        amount=period.amount,
        issued_on=on,
        due_on=on + timedelta(days=spec.contributions.payment_terms_days),
        issued_by=by if getattr(by, "pk", None) else None,
        replaces=replaces,
        population_confirmation=due.confirmation,
    )
    call.pdf = render_pdf(
        "contributions/call_pdf.html",
        {
            **_document_context(membership.programme),
            "call": call,
            "commune": commune,
            "offer": spec.offer(membership.offer_code),
        },
    )
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        existing = Call.objects.live().filter(membership=membership, period_start=period.start)
        number = existing.values_list("number", flat=True).first() or "?"
        raise ContributionError(
            _("%(due)s : cette période est déjà appelée (appel %(number)s).")
            % {"due": due.label(), "number": number}
        ) from None
    audit.record(
        action="contributions.call_issued",
        obj=call,
        by=by,
        summary=_("Appel %(number)s émis : %(commune)s, %(period)s, %(amount)s")
        % {
            "number": call.number,
            "commune": commune.name,
            "period": period_label(period.start, period.end),
            "amount": _euros(call.amount),
        },
        commune_insee=commune.insee_code,
        reason=_("remplace l'appel %(number)s") % {"number": replaces.number} if replaces else "",
    )
    return call


@dataclass
class IssueRun:
    on: date
    issued: list[Call] = field(default_factory=list)
    waiting: list[DuePeriod] = field(default_factory=list)

    def message(self) -> str:
        if not self.issued:
            text = _("Rien de nouveau à appeler au %(on)s : tous les appels dus sont émis.") % {
                "on": _d(self.on)
            }
        else:
            total = sum((c.amount for c in self.issued), ZERO)
            text = _(
                "%(count)s appel(s) émis au %(on)s (%(first)s à %(last)s), %(total)s au total."
            ) % {
                "count": len(self.issued),
                "on": _d(self.on),
                "first": self.issued[0].number,
                "last": self.issued[-1].number,
                "total": _euros(total),
            }
        if self.waiting:
            text += " " + _(
                "%(count)s période(s) attendent la confirmation d'une population estimée : "
                "%(periods)s."
            ) % {
                "count": len(self.waiting),
                "periods": " ; ".join(d.label() for d in self.waiting),
            }
        return text


def issue_calls(
    *,
    programme: Programme,
    on: date,
    by,
    progress: Callable[[str, int, int], None] | None = None,
) -> IssueRun:
    """Issue every call due on or before `on` and not yet issued, dated `on`. Idempotent.

    One transaction per run: a period that cannot be computed (no population) refuses the whole
    run, naming the commune and the period, and nothing is written. Periods on an estimated
    population wait for a coordinator's confirmation and are reported, not issued.
    """
    run = IssueRun(on=on)
    with transaction.atomic():
        # Taking the year's call series lock first serialises concurrent runs.
        lock_series(CALL_SERIES, on.year)
        due = due_periods(programme=programme, on=on)
        ready = [d for d in due if not d.needs_confirmation]
        run.waiting = [d for d in due if d.needs_confirmation]
        if ready:
            _check_chronology(on)
        for index, item in enumerate(ready, start=1):
            run.issued.append(_issue(due=item, on=on, by=by))
            if progress:
                progress("appels", index, len(ready))
    return run


def issue_call(*, membership: Membership, period_start: date, on: date, by) -> Call:
    """Issue the call of one period of a membership (already called: refused, nothing written)."""
    commune = membership.commune
    period = next(
        (p for p in schedule_for_membership(membership).periods if p.start == period_start), None
    )
    if period is None:
        raise ContributionError(
            _("%(commune)s : aucune période de l'adhésion ne commence le %(start)s.")
            % {"commune": commune.name, "start": _d(period_start)}
        )
    if period.start > on:
        raise ContributionError(
            _(
                "%(commune)s, %(period)s : une période est appelée quand elle commence, pas avant "
                "(%(on)s)."
            )
            % {
                "commune": commune.name,
                "period": period_label(period.start, period.end),
                "on": _d(on),
            }
        )
    confirmation = PopulationConfirmation.objects.filter(
        membership=membership,
        period_start=period.start,
        population=period.population,
        population_vintage=period.population_vintage,
    ).first()
    with transaction.atomic():
        _check_chronology(on)
        return _issue(due=DuePeriod(membership, period, confirmation), on=on, by=by)


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


# --- Estimated populations -------------------------------------------------------------------


def confirm_population(
    *, membership: Membership, period_start: date, by, note: str = ""
) -> PopulationConfirmation:
    """A coordinator confirms that a period may be called on its estimated population."""
    commune = membership.commune
    period = next(
        (p for p in schedule_for_membership(membership).periods if p.start == period_start), None
    )
    if period is None or not period.population_estimated:
        raise ContributionError(
            _(
                "%(commune)s : la période commençant le %(start)s n'a pas de population estimée "
                "à confirmer."
            )
            % {"commune": commune.name, "start": _d(period_start)}
        )
    with transaction.atomic():
        confirmation, created = PopulationConfirmation.objects.get_or_create(
            membership=membership,
            period_start=period_start,
            defaults={
                "period_end": period.end,
                "population": period.population,
                "population_vintage": period.population_vintage,
                "confirmed_by": by,
                "note": note,
            },
        )
        if not created:
            raise ContributionError(
                _(
                    "%(commune)s, %(period)s : la population est déjà confirmée (%(population)s "
                    "habitants, millésime %(vintage)s)."
                )
                % {
                    "commune": commune.name,
                    "period": period_label(period.start, period.end),
                    "population": confirmation.population,
                    "vintage": confirmation.population_vintage,
                }
            )
        audit.record(
            action="contributions.population_confirmed",
            obj=confirmation,
            by=by,
            summary=_(
                "%(commune)s, %(period)s : population estimée confirmée (%(population)s hab., "
                "millésime %(vintage)s)"
            )
            % {
                "commune": commune.name,
                "period": period_label(period.start, period.end),
                "population": period.population,
                "vintage": period.population_vintage,
            },
            commune_insee=commune.insee_code,
            reason=note,
        )
    return confirmation


def waiting_confirmations(*, programme: Programme, on: date) -> list[DuePeriod]:
    return [d for d in due_periods(programme=programme, on=on) if d.needs_confirmation]


# --- Payments ---------------------------------------------------------------------------------


def _payment_problem(
    *, call: Call, amount: Decimal, paid_on: date, outstanding: Decimal, today: date
) -> str | None:
    label = _("appel %(number)s (%(commune)s, %(period)s)") % {
        "number": call.number,
        "commune": call.commune.name,
        "period": period_label(call.period_start, call.period_end),
    }
    if amount <= 0:
        return _("%(label)s : le montant d'un paiement doit être positif (%(amount)s saisi).") % {
            "label": label,
            "amount": _euros(amount),
        }
    if amount.as_tuple().exponent < -2:
        return _("%(label)s : le montant a plus de deux décimales (%(amount)s).") % {
            "label": label,
            "amount": amount,
        }
    if call.is_cancelled:
        return _("%(label)s : l'appel est annulé, il ne peut plus recevoir de paiement.") % {
            "label": label
        }
    if problem := date_problem(paid_on):
        return _("%(label)s : %(problem)s") % {"label": label, "problem": problem}
    if paid_on > today:
        return _("%(label)s : la date de paiement (%(paid_on)s) est dans le futur.") % {
            "label": label,
            "paid_on": _d(paid_on),
        }
    if amount > outstanding:
        return _("%(label)s : le paiement (%(amount)s) dépasse le reste dû (%(outstanding)s).") % {
            "label": label,
            "amount": _euros(amount),
            "outstanding": _euros(outstanding),
        }
    return None


def record_payment(
    *,
    call: Call,
    amount: Decimal,
    paid_on: date,
    reference: str,
    by,
    today: date | None = None,
) -> Payment:
    """Record money received against a call (finance office). Refused with a message naming the
    commune and the period when negative, too large, in the future or on a cancelled call."""
    today = today or timezone.localdate()
    reference = reference.strip()
    with transaction.atomic():
        call = (
            Call.objects.select_for_update()
            .select_related("commune")
            .with_balance()
            .get(pk=call.pk)
        )
        problem = _payment_problem(
            call=call,
            amount=amount,
            paid_on=paid_on,
            outstanding=money(call.outstanding),
            today=today,
        )
        if problem is None and not reference:
            problem = _("appel %(number)s (%(commune)s) : la référence est obligatoire.") % {
                "number": call.number,
                "commune": call.commune.name,
            }
        if problem:
            raise ContributionError(_("Paiement refusé, %(problem)s") % {"problem": problem})
        payment = Payment.objects.create(
            call=call,
            commune=call.commune,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            source=PaymentSource.MANUAL,
            recorded_by=by if getattr(by, "pk", None) else None,
        )
        audit.record(
            action="contributions.payment_recorded",
            obj=payment,
            by=by,
            summary=_(
                "Paiement de %(amount)s reçu le %(paid_on)s sur l'appel %(call)s (%(commune)s)"
            )
            % {
                "amount": _euros(amount),
                "paid_on": _d(paid_on),
                "call": call.number,
                "commune": call.commune.name,
            },
            commune_insee=call.commune.insee_code,
            reason=reference,
        )
    return payment


@dataclass(frozen=True)
class StatementResult:
    statement: PaymentStatement
    recorded: int
    skipped: int

    def message(self) -> str:
        text = _("Relevé « %(file)s » : %(recorded)s paiement(s) enregistré(s)") % {
            "file": self.statement.filename,
            "recorded": self.recorded,
        }
        if self.skipped:
            text += _(", %(skipped)s déjà enregistré(s) ignoré(s)") % {"skipped": self.skipped}
        return text + "."


def import_statement(*, text: str, filename: str, by, today: date | None = None) -> StatementResult:
    """Record the payments of a public accountant's statement (format: statement.py).

    Every row is checked first; any bad row refuses the whole file, with every problem listed by
    line, and nothing is written. A row already recorded (same call, reference, amount and date)
    is skipped, so importing the same statement twice records nothing more."""
    import hashlib

    today = today or timezone.localdate()
    rows = parse_statement(text)
    calls = {
        c.number: c
        for c in Call.objects.filter(number__in={r.call_number for r in rows})
        .select_related("commune")
        .with_balance()
    }
    existing = set(
        Payment.objects.filter(call__in=calls.values()).values_list(
            "call_id", "reference", "amount", "paid_on"
        )
    )
    remaining = {c.pk: money(c.outstanding) for c in calls.values()}
    errors: list[str] = []
    accepted: list[tuple[StatementRow, Call]] = []
    skipped = 0
    for row in rows:
        call = calls.get(row.call_number)
        if call is None:
            errors.append(
                _("ligne %(line)s : aucun appel ne porte le numéro %(number)s.")
                % {"line": row.line, "number": row.call_number}
            )
            continue
        if row.debtor_siren and call.debtor_siren and row.debtor_siren != call.debtor_siren:
            errors.append(
                _(
                    "ligne %(line)s : le SIREN %(siren)s n'est pas celui du débiteur de l'appel "
                    "%(call)s (%(commune)s, %(debtor_siren)s)."
                )
                % {
                    "line": row.line,
                    "siren": row.debtor_siren,
                    "call": call.number,
                    "commune": call.commune.name,
                    "debtor_siren": call.debtor_siren,
                }
            )
            continue
        if (call.pk, row.reference, row.amount, row.paid_on) in existing:
            skipped += 1
            continue
        problem = _payment_problem(
            call=call,
            amount=row.amount,
            paid_on=row.paid_on,
            outstanding=remaining[call.pk],
            today=today,
        )
        if problem:
            errors.append(
                _("ligne %(line)s : %(problem)s") % {"line": row.line, "problem": problem}
            )
            continue
        remaining[call.pk] -= row.amount
        existing.add((call.pk, row.reference, row.amount, row.paid_on))
        accepted.append((row, call))
    if errors:
        raise StatementError(errors)
    actor = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        statement = PaymentStatement.objects.create(
            filename=filename[:300],
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            imported_by=actor,
            rows=len(rows),
            recorded=len(accepted),
            skipped=skipped,
        )
        for row, call in accepted:
            payment = Payment.objects.create(
                call=call,
                commune=call.commune,
                amount=row.amount,
                paid_on=row.paid_on,
                reference=row.reference,
                source=PaymentSource.STATEMENT,
                statement=statement,
                recorded_by=actor,
            )
            audit.record(
                action="contributions.payment_recorded",
                obj=payment,
                by=by,
                summary=_(
                    "Paiement de %(amount)s reçu le %(paid_on)s sur l'appel %(call)s "
                    "(%(commune)s), relevé %(file)s"
                )
                % {
                    "amount": _euros(row.amount),
                    "paid_on": _d(row.paid_on),
                    "call": call.number,
                    "commune": call.commune.name,
                    "file": statement.filename,
                },
                commune_insee=call.commune.insee_code,
                reason=row.reference,
            )
        audit.record(
            action="contributions.statement_imported",
            obj=statement,
            by=by,
            summary=_("Relevé %(file)s : %(recorded)s, %(skipped)s")
            % {
                "file": statement.filename,
                "recorded": ngettext("%(n)d paiement", "%(n)d paiements", len(accepted))
                % {"n": len(accepted)},
                "skipped": ngettext("%(n)d déjà enregistré", "%(n)d déjà enregistrés", skipped)
                % {"n": skipped},
            },
        )
    return StatementResult(statement=statement, recorded=len(accepted), skipped=skipped)


# --- Days in kind -----------------------------------------------------------------------------


def days_membership(*, commune, programme: Programme, on: date) -> Membership | None:
    """The commune's membership paid in days that covers `on` (started, not yet left)."""
    spec = programme.spec
    candidates = (
        Membership.objects.filter(
            programme=programme,
            commune=commune,
            status__in=OWING_STATES,
            start_date__isnull=False,
            start_date__lte=on,
        )
        .select_related("programme", "commune")
        .order_by("-start_date")
    )
    for membership in candidates:
        if not contribution_rules.is_paid(spec, membership.offer_code):
            continue
        if contribution_rules.paid_in(spec, membership.offer_code) is not PaidIn.DAYS:
            continue
        periods = schedule_for_membership(membership).periods
        if periods and periods[0].start <= on <= periods[-1].end:
            return membership
    return None


def log_days(
    *,
    commune,
    programme: Programme,
    worked_on: date,
    half_days: int,
    service_code: str,
    description: str,
    by,
    today: date | None = None,
) -> DayEntry:
    """An IT agent logs time given to the shared service; it counts once a coordinator validates."""
    today = today or timezone.localdate()
    where = _("%(commune)s, %(date)s") % {"commune": commune.name, "date": _d(worked_on)}
    if worked_on > today:
        raise ContributionError(
            _("%(where)s : on ne déclare pas un temps à venir.") % {"where": where}
        )
    if half_days not in (1, 2):
        raise ContributionError(
            _("%(where)s : une journée compte une ou deux demi-journées.") % {"where": where}
        )
    if not description.strip():
        raise ContributionError(_("%(where)s : décrivez le travail effectué.") % {"where": where})
    membership = days_membership(commune=commune, programme=programme, on=worked_on)
    if membership is None:
        raise ContributionError(
            _(
                "%(where)s : la commune n'a pas d'adhésion en cours à une offre contribuée en "
                "jours à cette date."
            )
            % {"where": where}
        )
    offer = programme.spec.offer(membership.offer_code)
    services = {s.code for axis in offer.axes for s in axis.services}
    if service_code not in services:
        raise ContributionError(
            _("%(where)s : le service « %(service)s » n'est pas de cette offre.")
            % {"where": where, "service": service_code}
        )
    with transaction.atomic():
        already = (
            DayEntry.objects.counted()
            .filter(logged_by=by, worked_on=worked_on)
            .aggregate(s=Sum("half_days"))["s"]
            or 0
        )
        if already + half_days > 2:
            raise ContributionError(
                _(
                    "%(where)s : vous avez déjà déclaré %(already)s demi-journée(s) ce jour-là ; "
                    "une journée n'en compte que deux."
                )
                % {"where": where, "already": already}
            )
        entry = DayEntry.objects.create(
            commune=commune,
            membership=membership,
            worked_on=worked_on,
            half_days=half_days,
            service_code=service_code,
            description=description.strip(),
            logged_by=by,
        )
        audit.record(
            action="contributions.days_logged",
            obj=entry,
            by=by,
            # One or two half days: at most one day, singular in French.
            summary=_("%(commune)s : %(days)s jour déclaré le %(date)s")
            % {"commune": commune.name, "days": entry.days, "date": _d(worked_on)},
            commune_insee=commune.insee_code,
        )
    return entry


def review_day_entry(*, entry: DayEntry, validate: bool, by, note: str = "") -> DayEntry:
    """A coordinator validates (or refuses, with a reason) time logged by an IT agent."""
    where = _("%(commune)s, %(date)s") % {
        "commune": entry.commune.name,
        "date": _d(entry.worked_on),
    }
    if not validate and not note.strip():
        raise ContributionError(
            _("%(where)s : indiquez pourquoi ce temps est refusé.") % {"where": where}
        )
    with transaction.atomic():
        entry = DayEntry.objects.select_for_update().select_related("commune").get(pk=entry.pk)
        if entry.status != DayStatus.SUBMITTED:
            raise ContributionError(
                _("%(where)s : ce temps a déjà été examiné.") % {"where": where}
            )
        entry.status = DayStatus.VALIDATED if validate else DayStatus.REJECTED
        entry.reviewed_by = by
        entry.reviewed_at = timezone.now()
        entry.review_note = note.strip()
        entry.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        audit.record(
            action=f"contributions.days_{entry.status}",
            obj=entry,
            by=by,
            # One or two half days: at most one day, singular in French.
            summary=_("%(where)s : %(days)s jour %(status)s")
            % {"where": where, "days": entry.days, "status": entry.get_status_display().lower()},
            commune_insee=entry.commune.insee_code,
            reason=entry.review_note,
        )
    return entry


@dataclass(frozen=True)
class DaysSummary:
    membership: Membership
    period: Period
    owed: Decimal
    given: Decimal
    validated: Decimal
    expected_by_now: Decimal
    past_mid_year: bool

    @property
    def behind(self) -> bool:
        """Past the middle of the membership year and below the linear pace."""
        return self.past_mid_year and self.given < self.expected_by_now

    @property
    def percent_validated(self) -> int:
        return int(self.validated * 100 / self.owed) if self.owed else 100


def days_summary(*, commune, programme: Programme, today: date | None = None) -> DaysSummary | None:
    """Days owed, given and validated for the current membership year, with the linear pace."""
    today = today or timezone.localdate()
    membership = days_membership(commune=commune, programme=programme, on=today)
    if membership is None:
        return None
    period = next(
        p for p in schedule_for_membership(membership).periods if p.start <= today <= p.end
    )
    entries = DayEntry.objects.filter(
        membership=membership, worked_on__gte=period.start, worked_on__lte=period.end
    )
    totals = {
        status: Decimal(total or 0) / 2
        for status, total in entries.values("status")
        .annotate(total=Sum("half_days"))
        .values_list("status", "total")
    }
    validated = totals.get(DayStatus.VALIDATED, Decimal(0))
    given = validated + totals.get(DayStatus.SUBMITTED, Decimal(0))
    elapsed = (today - period.start).days + 1
    expected = (period.days_owed * elapsed / period.days_served).quantize(Decimal("0.1"))
    return DaysSummary(
        membership=membership,
        period=period,
        owed=period.days_owed,
        given=given,
        validated=validated,
        expected_by_now=expected,
        past_mid_year=elapsed * 2 > period.days_in_period,
    )


# --- Balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    commune_id: int
    name: str
    insee_code: str
    called: Decimal
    credited: Decimal
    paid: Decimal
    overdue: Decimal

    @property
    def balance(self) -> Decimal:
        """What the commune still owes (negative: overpaid, to refund)."""
        return self.called - self.credited - self.paid


def balances(*, communes, today: date | None = None) -> list[Balance]:
    """Per commune: called, credited, paid, balance, overdue. A fixed number of queries."""
    today = today or timezone.localdate()

    def by_commune(queryset, field_name):
        return dict(
            queryset.order_by()
            .values("commune_id")
            .annotate(total=Sum(field_name))
            .values_list("commune_id", "total")
        )

    scope = {"commune__in": communes}
    called = by_commune(Call.objects.filter(**scope), "amount")
    credited = by_commune(CreditNote.objects.filter(**scope), "amount")
    paid = by_commune(Payment.objects.filter(**scope), "amount")
    overdue: dict[int, Decimal] = {}
    for commune_id, outstanding in (
        Call.objects.filter(**scope).overdue(today).values_list("commune_id", "outstanding")
    ):
        overdue[commune_id] = overdue.get(commune_id, ZERO) + money(outstanding)
    names = {
        c.pk: c for c in communes.filter(pk__in=set(called) | set(paid)).only("name", "insee_code")
    }
    return sorted(
        (
            Balance(
                commune_id=pk,
                name=names[pk].name,
                insee_code=names[pk].insee_code,
                called=money(called.get(pk)),
                credited=money(credited.get(pk)),
                paid=money(paid.get(pk)),
                overdue=overdue.get(pk, ZERO),
            )
            for pk in names
        ),
        key=lambda b: b.name,
    )
