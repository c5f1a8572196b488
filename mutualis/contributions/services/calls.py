"""Issuing calls for contributions: one period of one membership, or every due period."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.contributions.models import ZERO, Call, CreditNote, PopulationConfirmation
from mutualis.contributions.services._common import ContributionError, _d, _euros
from mutualis.contributions.services.schedules import (
    DuePeriod,
    due_periods,
    period_label,
    schedule_for_membership,
)
from mutualis.core import audit
from mutualis.core.numbering import lock_series, next_number
from mutualis.core.pdf import render_pdf
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme

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
            text = ngettext(
                "%(count)s appel émis au %(on)s (%(first)s à %(last)s), %(total)s au total.",
                "%(count)s appels émis au %(on)s (%(first)s à %(last)s), %(total)s au total.",
                len(self.issued),
            ) % {
                "count": len(self.issued),
                "on": _d(self.on),
                "first": self.issued[0].number,
                "last": self.issued[-1].number,
                "total": _euros(total),
            }
        if self.waiting:
            text += " " + ngettext(
                "%(count)s période attend la confirmation d'une population estimée : %(periods)s.",
                "%(count)s périodes attendent la confirmation d'une population estimée : "
                "%(periods)s.",
                len(self.waiting),
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
