"""Pages of contributions: the public simulator, calls and credit notes, payments, balances,
estimated populations, days in kind and the forecast."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.accounts.enums import CommuneRoleKind
from mutualis.contributions import exports, services
from mutualis.contributions import perms as contributions_perms
from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.forecast import first_day_of_next_month, programme_forecast
from mutualis.contributions.forms import (
    CallFilterForm,
    CancelCallForm,
    DayEntryForm,
    ForecastForm,
    IssueCallsForm,
    PaymentForm,
    SimulatorForm,
    StatementForm,
)
from mutualis.contributions.models import Call, CreditNote, DayEntry, Payment, money
from mutualis.contributions.rules import OfferError
from mutualis.contributions.schedule import ScheduleError
from mutualis.contributions.statement import StatementError
from mutualis.core.access import PUBLIC, access
from mutualis.core.charts import bar_chart
from mutualis.core.collation import french
from mutualis.core.lookups import get_visible_or_404
from mutualis.core.pdf import pdf_response
from mutualis.core.submissions import submitted_once
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for
from mutualis.territory.models import Commune

MAX_STATEMENT_BYTES = 5 * 1024 * 1024  # a year of statements is a few hundred lines


def _programme(request) -> Programme:
    programme = programme_for(request)
    if programme is None:
        raise Http404
    return programme


def _get_call(user, call_id: int) -> Call:
    """The call if the user may see its commune's calls; 404 otherwise (no hint it exists)."""
    return get_visible_or_404(
        Call.objects.select_related("commune", "replaces", "programme").with_balance(),
        user,
        visible=lambda calls, user: calls.filter(
            commune__in=contributions_perms.finance_communes(user)
        ),
        pk=call_id,
    )


# --- Entry and simulator ----------------------------------------------------------------------


@access(contributions_perms.uses_contributions)
def home(request: HttpRequest) -> HttpResponse:
    if perms.is_finance_or_coordinator(request.user):
        return redirect("contributions:calls")
    commune = perms.active_commune(request)
    if commune is None:
        raise Http404
    if CommuneRoleKind.MANAGER in request.user.roles_in(commune.pk):
        return redirect("contributions:commune", insee_code=commune.insee_code)
    return redirect("contributions:commune_days", insee_code=commune.insee_code)


@access(PUBLIC)
def simulator(request: HttpRequest) -> HttpResponse:
    """Any visitor: a commune of the programme picks itself and a start date, and sees what it
    would owe, year by year. Nothing is stored."""
    programme = _programme(request)
    spec = programme.spec
    communes = list(
        Commune.objects.active()
        .filter(epci__siren__in=spec.programme.epci_sirens)
        .order_by(french("name"))
        .prefetch_related("populations")
    )
    form = SimulatorForm(request.GET or None, communes=communes)
    context = {"form": form, "spec": spec}
    if form.is_valid():
        commune = next(c for c in communes if c.insee_code == form.cleaned_data["commune"])
        try:
            offer = contribution_rules.default_offer(
                spec, has_it_department=commune.has_it_department
            )
            simulation = contribution_rules.simulate(
                spec=spec,
                offer_code=offer.code,
                populations=contribution_rules.populations_by_vintage(
                    commune.populations.all(), spec.contributions.population_basis
                ),
                start=form.cleaned_data["start"],
                exit_requested=form.cleaned_data["exit_requested"],
            )
            context.update(commune=commune, simulation=simulation, offer=offer)
        except (OfferError, ScheduleError) as exc:
            context["error"] = _("%(commune)s : %(error)s") % {
                "commune": commune.name,
                "error": exc,
            }
    return render(request, "contributions/simulator.html", context)


# --- Calls (finance office) -------------------------------------------------------------------


@access(perms.is_finance_or_coordinator)
def calls(request: HttpRequest) -> HttpResponse:
    years = list(Call.objects.order_by("-year").values_list("year", flat=True).distinct())
    form = CallFilterForm(request.GET or None, years=years)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    queryset = Call.objects.select_related("commune").with_balance()
    if data.get("year"):
        queryset = queryset.filter(year=data["year"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("q"):
        queryset = queryset.filter(
            Q(debtor_name__icontains=data["q"]) | Q(number__startswith=data["q"])
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/calls.html",
        {
            "form": form,
            "page": page,
            "issue_form": IssueCallsForm(initial={"on": timezone.localdate()}),
            "years": years,
            "today": timezone.localdate(),
        },
    )


@access(perms.is_finance_or_coordinator)
@require_POST
@submitted_once
def issue(request: HttpRequest) -> HttpResponse:
    form = IssueCallsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez une date d'émission valide."))
        return redirect("contributions:calls")
    try:
        run = services.issue_calls(
            programme=_programme(request), on=form.cleaned_data["on"], by=request.user
        )
    except services.ContributionError as exc:
        messages.error(request, _("%(error)s Rien n'a été émis.") % {"error": exc})
    else:
        (messages.success if run.issued else messages.info)(request, run.message())
    return redirect("contributions:calls")


@access(perms.is_signed_in)
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _get_call(request.user, call_id)
    is_finance = perms.is_finance_or_coordinator(request.user)
    return render(
        request,
        "contributions/call_detail.html",
        {
            "call": call,
            "outstanding": money(call.outstanding),
            "credit_notes": call.credit_notes.order_by("created_at"),
            "payments": call.payments.order_by("paid_on", "id"),
            "replaced_by": Call.objects.filter(replaces=call).first(),
            "is_finance": is_finance,
            "overdue": not call.is_cancelled
            and call.outstanding > 0
            and call.due_on < timezone.localdate(),
            "cancel_form": CancelCallForm() if is_finance and not call.is_cancelled else None,
            "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()})
            if is_finance and not call.is_cancelled and call.outstanding > 0
            else None,
        },
    )


@access(perms.is_signed_in)
def call_pdf(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _get_call(request.user, call_id)
    return pdf_response(bytes(call.pdf), f"appel-{call.number}.pdf")


@access(perms.is_finance_or_coordinator)
@require_POST
def call_cancel(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _get_call(request.user, call_id)
    form = CancelCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Le motif de l'annulation est obligatoire."))
        return redirect("contributions:call", call_id=call.pk)
    try:
        result = services.cancel_call(
            call=call, reason=form.cleaned_data["reason"], by=request.user
        )
    except services.ContributionError as exc:
        messages.error(request, str(exc))
        return redirect("contributions:call", call_id=call.pk)
    text = _("Appel %(n)s annulé.") % {"n": call.number}
    if result.credit_note:
        text += " " + _("Avoir %(n)s émis.") % {"n": result.credit_note.number}
    if result.replacement:
        text += " " + _("Appel de remplacement %(n)s émis.") % {"n": result.replacement.number}
        messages.success(request, text)
        return redirect("contributions:call", call_id=result.replacement.pk)
    messages.success(request, text)
    return redirect("contributions:call", call_id=call.pk)


@access(perms.is_finance_or_coordinator)
@require_POST
@submitted_once
def call_payment(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _get_call(request.user, call_id)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("contributions:call", call_id=call.pk)
    try:
        services.record_payment(call=call, by=request.user, **form.cleaned_data)
    except services.ContributionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Paiement enregistré sur l'appel %(n)s.") % {"n": call.number})
    return redirect("contributions:call", call_id=call.pk)


@access(perms.is_finance_or_coordinator)
def credit_notes(request: HttpRequest) -> HttpResponse:
    notes = CreditNote.objects.select_related("call", "commune").order_by("-year", "-seq")
    page = Paginator(notes, 50).get_page(request.GET.get("page"))
    years = list(CreditNote.objects.order_by("-year").values_list("year", flat=True).distinct())
    return render(request, "contributions/credit_notes.html", {"page": page, "years": years})


@access(perms.is_signed_in)
def credit_note_pdf(request: HttpRequest, credit_note_id: int) -> HttpResponse:
    note = CreditNote.objects.filter(
        pk=credit_note_id, commune__in=contributions_perms.finance_communes(request.user)
    ).first()
    if note is None:
        raise Http404
    return pdf_response(bytes(note.pdf), f"avoir-{note.number}.pdf")


def _export(request, kind: str) -> HttpResponse:
    try:
        year = int(request.GET.get("annee") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    fmt = request.GET.get("format", "csv")
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    if kind == "appels":
        rows = exports.call_rows(
            Call.objects.filter(year=year, programme=_programme(request)).order_by("seq")
        )
        columns = exports.CALL_COLUMNS
    else:
        rows = exports.credit_note_rows(
            CreditNote.objects.filter(year=year, call__programme=_programme(request))
            .select_related("call")
            .order_by("seq")
        )
        columns = exports.CREDIT_NOTE_COLUMNS
    name = f"{kind}-{year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(columns, rows), content_type="text/csv")
    else:
        response = HttpResponse(
            exports.to_xlsx(f"{kind} {year}", columns, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access(perms.is_finance_or_coordinator)
def export_calls(request: HttpRequest) -> HttpResponse:
    return _export(request, "appels")


@access(perms.is_finance_or_coordinator)
def export_credit_notes(request: HttpRequest) -> HttpResponse:
    return _export(request, "avoirs")


@access(perms.is_finance_or_coordinator)
def export_balances(request: HttpRequest) -> HttpResponse:
    """Every commune's balance today, with what is owed back (« à rembourser ») after credits."""
    fmt = request.GET.get("format", "csv")
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    rows = exports.balance_rows(
        services.balances(communes=contributions_perms.finance_communes(request.user))
    )
    name = f"soldes-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(exports.BALANCE_COLUMNS, rows), content_type="text/csv"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx("soldes", exports.BALANCE_COLUMNS, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Payments and balances --------------------------------------------------------------------


@access(perms.is_finance_or_coordinator)
def balances(request: HttpRequest) -> HttpResponse:
    rows = services.balances(communes=contributions_perms.finance_communes(request.user))
    totals = {
        name: sum((getattr(r, name) for r in rows), money(0))
        for name in ("called", "credited", "paid", "owed", "to_refund", "overdue")
    }
    return render(request, "contributions/balances.html", {"rows": rows, "totals": totals})


@access(perms.is_finance_or_coordinator)
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = list(
        Call.objects.overdue(today)
        .filter(programme=_programme(request))
        .select_related("commune")
        .order_by("due_on", "seq")
    )
    for call in rows:
        call.days_late = (today - call.due_on).days
    return render(request, "contributions/overdue.html", {"rows": rows, "today": today})


@access(perms.is_finance_or_coordinator)
@submitted_once
def import_statement(request: HttpRequest) -> HttpResponse:
    form = StatementForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = None
        if upload.size <= MAX_STATEMENT_BYTES:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                text = None
        if text is None:
            errors = [
                _(
                    "Le fichier n'est pas un CSV UTF-8 de 5 Mo au plus : enregistrez-le en CSV "
                    "UTF-8 (un relevé par fichier)."
                )
            ]
        else:
            try:
                result = services.import_statement(text=text, filename=upload.name, by=request.user)
            except StatementError as exc:
                errors = exc.errors
            else:
                messages.success(request, result.message())
                return redirect("contributions:balances")
    recent = Payment.objects.select_related("call", "commune").order_by("-recorded_at", "-id")[:20]
    return render(
        request,
        "contributions/import_statement.html",
        {"form": form, "errors": errors, "recent": recent},
    )


# --- A commune's contributions ----------------------------------------------------------------


@access(contributions_perms.uses_contributions)
def commune(request: HttpRequest, insee_code: str) -> HttpResponse:
    """Finance, coordinators, and the commune's own managers: its calls, PDFs and balance."""
    commune = contributions_perms.get_contributions_commune_for_user(request.user, insee_code)
    calls = list(
        Call.objects.filter(commune=commune)
        .select_related("replaces")
        .with_balance()
        .order_by("-issued_on", "-seq")
    )
    notes = CreditNote.objects.filter(commune=commune).select_related("call").order_by("-issued_on")
    payments = Payment.objects.filter(commune=commune).select_related("call").order_by("-paid_on")
    balance = next(iter(services.balances(communes=Commune.objects.filter(pk=commune.pk))), None)
    return render(
        request,
        "contributions/commune.html",
        {
            "commune": commune,
            "calls": calls,
            "credit_notes": notes,
            "payments": payments,
            "balance": balance,
            "today": timezone.localdate(),
            "has_days": commune.has_it_department,
        },
    )


@access(contributions_perms.uses_contributions)
@submitted_once
def commune_days(request: HttpRequest, insee_code: str) -> HttpResponse:
    """Days in kind owed, given and validated; the commune's IT agents log their time here."""
    commune = contributions_perms.get_days_commune_for_user(request.user, insee_code)
    programme = _programme(request)
    can_log = contributions_perms.can_log_days_for(request.user, commune)
    summary = services.days_summary(commune=commune, programme=programme)
    services_choices = []
    if summary:
        offer = programme.spec.offer(summary.membership.offer_code)
        services_choices = [(s.code, s.name) for axis in offer.axes for s in axis.services]
    form = DayEntryForm(request.POST or None, services=services_choices)
    if request.method == "POST":
        if not can_log:
            raise Http404
        if form.is_valid():
            try:
                services.log_days(
                    commune=commune, programme=programme, by=request.user, **form.cleaned_data
                )
            except services.ContributionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Temps enregistré : il sera validé par un coordinateur.")
                )
                return redirect("contributions:commune_days", insee_code=commune.insee_code)
    return render(
        request,
        "contributions/commune_days.html",
        {
            "commune": commune,
            "summary": summary,
            "form": form if can_log and summary else None,
            "entries": _day_entries(commune, dict(services_choices)),
        },
    )


def _day_entries(commune, names: dict[str, str]) -> list[DayEntry]:
    """The commune's latest day entries, each with its service's name."""
    entries = DayEntry.objects.filter(commune=commune).select_related("logged_by", "reviewed_by")
    entries = list(entries[:100])
    for entry in entries:
        entry.service_name = names.get(entry.service_code, entry.service_code)
    return entries


# --- Coordinators -----------------------------------------------------------------------------


@access(perms.is_coordinator)
def days_review(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        entry = DayEntry.objects.filter(pk=request.POST.get("entry")).first()
        if entry is None:
            raise Http404
        try:
            services.review_day_entry(
                entry=entry,
                validate=request.POST.get("decision") == "validate",
                note=request.POST.get("note", ""),
                by=request.user,
            )
        except services.ContributionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Décision enregistrée."))
        return redirect("contributions:days_review")
    entries = list(
        DayEntry.objects.filter(status="submitted")
        .select_related("commune", "logged_by")
        .order_by("worked_on", "id")[:200]
    )
    return render(request, "contributions/days_review.html", {"entries": entries})


@access(perms.is_coordinator)
def confirmations(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    on = timezone.localdate()
    if request.method == "POST":
        key = request.POST.get("period", "")
        try:
            membership_id, start = key.split("|")
            waiting = {
                (d.membership.pk, d.period.start): d
                for d in services.waiting_confirmations(programme=programme, on=on)
            }
            due = waiting[(int(membership_id), date.fromisoformat(start))]
        except (ValueError, KeyError):
            raise Http404 from None
        try:
            services.confirm_population(
                membership=due.membership,
                period_start=due.period.start,
                by=request.user,
                note=request.POST.get("note", ""),
            )
        except services.ContributionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Population confirmée pour %(label)s : l'appel sera émis au prochain passage.")
                % {"label": due.label()},
            )
        return redirect("contributions:confirmations")
    try:
        waiting = services.waiting_confirmations(programme=programme, on=on)
        error = None
    except services.ContributionError as exc:
        waiting, error = [], str(exc)
    return render(request, "contributions/confirmations.html", {"waiting": waiting, "error": error})


@access(perms.is_finance_or_coordinator)
def forecast(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    form = ForecastForm(request.GET or None)
    queue_start = first_day_of_next_month(timezone.localdate())
    if form.is_valid() and form.cleaned_data["queue_start"]:
        queue_start = form.cleaned_data["queue_start"]
    result = programme_forecast(programme=programme, queue_start=queue_start)
    labels = [y.label for y in result.years]
    chart = bar_chart(
        labels,
        {
            _("Membres"): [y.members_amount for y in result.years],
            _("File d'attente (hypothèse)"): [y.queue_amount for y in result.years],
            _("Coût du référent"): [y.referent_cost for y in result.years],
        },
        title=_("Contributions prévues et coût du référent, par année du programme"),
        unit="€",
    )
    days_chart = bar_chart(
        labels,
        {
            _("Membres"): [y.members_days for y in result.years],
            _("File d'attente (hypothèse)"): [y.queue_days for y in result.years],
        },
        title=_("Jours en nature prévus, par année du programme"),
        unit=_("jours"),
    )
    return render(
        request,
        "contributions/forecast.html",
        {"form": form, "forecast": result, "chart": chart, "days_chart": days_chart},
    )


@access(perms.is_finance_or_coordinator)
def forecast_csv(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    form = ForecastForm(request.GET or None)
    queue_start = first_day_of_next_month(timezone.localdate())
    if form.is_valid() and form.cleaned_data["queue_start"]:
        queue_start = form.cleaned_data["queue_start"]
    result = programme_forecast(programme=programme, queue_start=queue_start)
    columns = [
        "Année du programme",
        "Début",
        "Fin",
        "Contributions des membres (€)",
        "Contributions de la file d'attente (€)",
        "Jours des membres",
        "Jours de la file d'attente",
        "Coût du référent (€)",
    ]
    rows = [
        [
            y.label,
            y.start,
            y.end,
            y.members_amount,
            y.queue_amount,
            str(y.members_days).replace(".", ","),
            str(y.queue_days).replace(".", ","),
            y.referent_cost,
        ]
        for y in result.years
    ]
    response = HttpResponse(exports.to_csv(columns, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="previsions.csv"'
    return response
