"""API of contributions: calls, credit notes, payments, balances, days in kind, forecast and the
simulator, under the same rules as the pages (another commune's object answers 404)."""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mutualis.accounts import perms
from mutualis.contributions import perms as contributions_perms
from mutualis.contributions import rules as contribution_rules
from mutualis.contributions import services
from mutualis.contributions.forecast import first_day_of_next_month, programme_forecast
from mutualis.contributions.models import Call, CreditNote, DayEntry, Payment, money
from mutualis.contributions.rules import OfferError
from mutualis.contributions.schedule import ScheduleError
from mutualis.core.api_auth import api_access
from mutualis.core.pagination import LimitOffset
from mutualis.core.pdf import pdf_response
from mutualis.core.validators import BusinessDate
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for
from mutualis.territory.models import Commune

router = Router(tags=["contributions"])


class CallOut(Schema):
    id: int
    number: str
    insee_code: str
    debtor_name: str
    debtor_siren: str
    period_start: date
    period_end: date
    membership_year: int
    population: int
    population_vintage: int
    population_estimated: bool
    rate: str
    days_served: int
    days_in_period: int
    amount: str
    issued_on: date
    due_on: date
    status: str
    credited: str
    paid: str
    outstanding: str
    replaces: str | None


class CreditNoteOut(Schema):
    id: int
    number: str
    call: str
    insee_code: str
    kind: str
    amount: str
    reason: str
    issued_on: date


class PaymentOut(Schema):
    id: int
    call: str
    insee_code: str
    amount: str
    paid_on: date
    reference: str
    source: str


class PaymentIn(Schema):
    call: str
    amount: Decimal
    paid_on: date  # checked by record_payment (400 naming the date), as forms and statements are
    reference: str


class BalanceOut(Schema):
    insee_code: str
    name: str
    called: str
    credited: str
    paid: str
    balance: str
    to_refund: str  # what the intercommunality owes back once credits exceed what is owed
    overdue: str


class DayEntryOut(Schema):
    id: int
    insee_code: str
    worked_on: date
    half_days: int
    service_code: str
    description: str
    status: str


class DayEntryIn(Schema):
    insee_code: str
    worked_on: BusinessDate
    half_days: int
    service_code: str
    description: str


class DaysSummaryOut(Schema):
    insee_code: str
    period_start: date
    period_end: date
    membership_year: int
    owed: str
    given: str
    validated: str
    expected_by_now: str
    behind: bool


class ForecastYearOut(Schema):
    label: str
    start: date
    end: date
    members_amount: str
    queue_amount: str
    members_days: str
    queue_days: str
    referent_cost: str


class ForecastOut(Schema):
    queue_start: date
    members: int
    queued: int
    years: list[ForecastYearOut]
    skipped: list[str]


def _programme(request) -> Programme:
    programme = programme_for(request, user=request.auth)
    if programme is None:
        raise Http404
    return programme


def _call_out(call: Call) -> dict:
    return {
        "id": call.pk,
        "number": call.number,
        "insee_code": call.commune.insee_code,
        "debtor_name": call.debtor_name,
        "debtor_siren": call.debtor_siren,
        "period_start": call.period_start,
        "period_end": call.period_end,
        "membership_year": call.membership_year,
        "population": call.population,
        "population_vintage": call.population_vintage,
        "population_estimated": call.population_estimated,
        "rate": str(call.rate_display),
        "days_served": call.days_served,
        "days_in_period": call.days_in_period,
        "amount": str(call.amount),
        "issued_on": call.issued_on,
        "due_on": call.due_on,
        "status": call.status,
        "credited": str(money(call.credited)),
        "paid": str(money(call.paid)),
        "outstanding": str(money(call.outstanding)),
        "replaces": call.replaces.number if call.replaces_id else None,
    }


def _visible_calls(user):
    return (
        Call.objects.filter(commune__in=contributions_perms.finance_communes(user))
        .select_related("commune", "replaces")
        .with_balance()
    )


@router.get("/calls", response=list[CallOut])
@api_access(contributions_perms.uses_contributions)
@paginate(LimitOffset, rows=_call_out)
def list_calls(request, year: int | None = None, insee_code: str = ""):
    """Calls the caller may see: every commune for finance and coordinators, their own for a
    commune's managers."""
    calls = _visible_calls(request.auth).order_by("-year", "-seq")
    if year:
        calls = calls.filter(year=year)
    if insee_code:
        calls = calls.filter(commune__insee_code=insee_code)
    return calls


@router.get("/calls/{number}", response=CallOut)
@api_access(contributions_perms.uses_contributions)
def get_call(request, number: str):
    call = _visible_calls(request.auth).filter(number=number).first()
    if call is None:
        raise Http404
    return _call_out(call)


@router.get("/calls/{number}/pdf")
@api_access(contributions_perms.uses_contributions)
def get_call_pdf(request, number: str) -> HttpResponse:
    call = Call.objects.filter(
        number=number, commune__in=contributions_perms.finance_communes(request.auth)
    ).first()
    if call is None:
        raise Http404
    return pdf_response(bytes(call.pdf), f"appel-{call.number}.pdf")


def _credit_note_out(n: CreditNote) -> dict:
    return {
        "id": n.pk,
        "number": n.number,
        "call": n.call.number,
        "insee_code": n.commune.insee_code,
        "kind": n.kind,
        "amount": str(n.amount),
        "reason": n.reason,
        "issued_on": n.issued_on,
    }


@router.get("/credit-notes", response=list[CreditNoteOut])
@api_access(contributions_perms.uses_contributions)
@paginate(LimitOffset, rows=_credit_note_out)
def list_credit_notes(request, year: int | None = None):
    notes = (
        CreditNote.objects.filter(commune__in=contributions_perms.finance_communes(request.auth))
        .select_related("call", "commune")
        .order_by("-year", "-seq")
    )
    if year:
        notes = notes.filter(year=year)
    return notes


def _payment_out(p: Payment) -> dict:
    return {
        "id": p.pk,
        "call": p.call.number,
        "insee_code": p.commune.insee_code,
        "amount": str(p.amount),
        "paid_on": p.paid_on,
        "reference": p.reference,
        "source": p.source,
    }


@router.get("/payments", response=list[PaymentOut])
@api_access(contributions_perms.uses_contributions)
@paginate(LimitOffset, rows=_payment_out)
def list_payments(request):
    payments = (
        Payment.objects.filter(commune__in=contributions_perms.finance_communes(request.auth))
        .select_related("call", "commune")
        .order_by("-paid_on", "-id")
    )
    return payments


@router.post("/payments", response={201: PaymentOut})
@api_access(perms.is_finance_or_coordinator)
def create_payment(request, payload: PaymentIn):
    """The finance office records a payment; a negative or excessive amount is refused (400)."""
    call = Call.objects.filter(number=payload.call).select_related("commune").first()
    if call is None:
        raise Http404
    try:
        payment = services.record_payment(
            call=call,
            amount=payload.amount,
            paid_on=payload.paid_on,
            reference=payload.reference,
            by=request.auth,
        )
    except services.ContributionError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _payment_out(payment))


@router.get("/balances", response=list[BalanceOut])
@api_access(contributions_perms.uses_contributions)
def list_balances(request):
    return [
        {
            "insee_code": b.insee_code,
            "name": b.name,
            "called": str(b.called),
            "credited": str(b.credited),
            "paid": str(b.paid),
            "balance": str(b.balance),
            "to_refund": str(b.to_refund),
            "overdue": str(b.overdue),
        }
        for b in services.balances(communes=contributions_perms.finance_communes(request.auth))
    ]


def _entry_out(e: DayEntry) -> dict:
    return {
        "id": e.pk,
        "insee_code": e.commune.insee_code,
        "worked_on": e.worked_on,
        "half_days": e.half_days,
        "service_code": e.service_code,
        "description": e.description,
        "status": e.status,
    }


@router.get("/days", response=list[DayEntryOut])
@api_access(contributions_perms.uses_contributions)
@paginate(LimitOffset, rows=_entry_out)
def list_days(request, insee_code: str = ""):
    entries = DayEntry.objects.filter(
        commune__in=contributions_perms.days_communes(request.auth)
    ).select_related("commune")
    if insee_code:
        entries = entries.filter(commune__insee_code=insee_code)
    return entries


@router.post("/days", response={201: DayEntryOut})
@api_access(contributions_perms.uses_contributions)
def create_day_entry(request, payload: DayEntryIn):
    """An IT agent of the commune logs time given to the shared service."""
    commune = perms.get_commune_for_user(request.auth, payload.insee_code)
    if not contributions_perms.can_log_days_for(request.auth, commune):
        raise HttpError(403, _("Seuls les agents de la DSI de la commune déclarent son temps."))
    try:
        entry = services.log_days(
            commune=commune,
            programme=_programme(request),
            worked_on=payload.worked_on,
            half_days=payload.half_days,
            service_code=payload.service_code,
            description=payload.description,
            by=request.auth,
        )
    except services.ContributionError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _entry_out(entry))


@router.get("/days/{insee_code}/summary", response=DaysSummaryOut)
@api_access(contributions_perms.uses_contributions)
def get_days_summary(request, insee_code: str):
    commune = perms.get_commune_for_user(request.auth, insee_code)
    if not contributions_perms.can_see_days_of(request.auth, commune):
        raise HttpError(403, _("Accès refusé."))
    summary = services.days_summary(commune=commune, programme=_programme(request))
    if summary is None:
        raise Http404
    return {
        "insee_code": commune.insee_code,
        "period_start": summary.period.start,
        "period_end": summary.period.end,
        "membership_year": summary.period.membership_year,
        "owed": str(summary.owed),
        "given": str(summary.given),
        "validated": str(summary.validated),
        "expected_by_now": str(summary.expected_by_now),
        "behind": summary.behind,
    }


@router.get("/forecast", response=ForecastOut)
@api_access(perms.is_finance_or_coordinator)
def get_forecast(request, queue_start: date | None = None):
    forecast = programme_forecast(
        programme=_programme(request),
        queue_start=queue_start or first_day_of_next_month(timezone.localdate()),
    )
    return {
        "queue_start": forecast.queue_start,
        "members": forecast.members,
        "queued": forecast.queued,
        "skipped": forecast.skipped,
        "years": [
            {
                "label": y.label,
                "start": y.start,
                "end": y.end,
                "members_amount": str(y.members_amount),
                "queue_amount": str(y.queue_amount),
                "members_days": str(y.members_days),
                "queue_days": str(y.queue_days),
                "referent_cost": str(y.referent_cost),
            }
            for y in forecast.years
        ],
    }


@router.get("/schedule")
@api_access(perms.is_signed_in)
def simulate_schedule(
    request,
    insee_code: str,
    start: date,
    exit_requested: date | None = None,
    offer: str = "",
):
    """The simulator: a commune's schedule as if it joined on `start` (nothing stored); the
    same JSON as `mutualis contribution_schedule --json`. Legal populations are public data."""
    spec = _programme(request).spec
    commune = Commune.objects.filter(insee_code=insee_code).prefetch_related("populations").first()
    if commune is None:
        raise Http404
    try:
        offer_code = (
            offer
            or contribution_rules.default_offer(
                spec, has_it_department=commune.has_it_department
            ).code
        )
        simulation = contribution_rules.simulate(
            spec=spec,
            offer_code=offer_code,
            populations=contribution_rules.populations_by_vintage(
                commune.populations.all(), spec.contributions.population_basis
            ),
            start=start,
            exit_requested=exit_requested,
        )
    except (OfferError, ScheduleError) as exc:
        raise HttpError(
            400, _("%(commune)s : %(error)s") % {"commune": commune.name, "error": exc}
        ) from None
    return simulation.schedule.to_dict(commune.insee_code, offer_code)
