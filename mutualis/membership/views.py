"""Pages of the membership lifecycle: a commune's memberships, deliberations, conventions, the
admission queue, the capacity pools and the referent's time. Uploads are served only here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core import charts
from mutualis.core.access import access
from mutualis.membership import capacity, forms, lookups, services
from mutualis.membership.enums import CAPACITY_HOLDING, NOT_STARTED, Status
from mutualis.membership.models import Deliberation, Membership, TimeLog, Transition
from mutualis.membership.rules import of_place
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune


def _programme() -> Programme:
    programme = Programme.objects.current()
    if programme is None:
        raise Http404
    return programme


def _manage_or_403(user, commune) -> None:
    if not perms.can_manage_commune(user, commune):
        raise PermissionDenied


def _back(membership: Membership) -> HttpResponse:
    return redirect("membership:commune", insee_code=membership.commune.insee_code)


def _serve_pdf(field, filename: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type="application/pdf", as_attachment=False, filename=filename
    )


def _step(request, membership, form, run, template, extra=None) -> HttpResponse:
    """Shared tail of every lifecycle action: validate, run the service, say what happened."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("%(commune)s : étape enregistrée, les responsables sont prévenus.")
                % {"commune": membership.commune.name},
            )
            return _back(membership)
    return render(
        request,
        f"membership/{template}.html",
        {"membership": membership, "commune": membership.commune, "form": form, **(extra or {})},
    )


# --- a commune's memberships --------------------------------------------------------------------


@access(perms.is_signed_in)
def commune(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = _programme()
    memberships = list(
        Membership.objects.filter(commune=commune)
        .select_related("programme", "commune", "convention")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=Transition.objects.select_related("by", "deliberation"),
                to_attr="steps",
            ),
            Prefetch("convention__amendments"),
        )
        .order_by("created_at")
    )
    today = timezone.localdate()
    can_manage = perms.can_manage_commune(request.user, commune)
    coordinator = perms.is_coordinator(request.user)
    positions = {}
    if any(m.status == Status.QUEUED for m in memberships):
        for state in capacity.pool_states(programme, on=today):
            positions.update({e.membership.pk: (e, state) for e in state.queue})
    advanced_open = any(m.is_open and not m.is_base for m in memberships)
    for m in memberships:
        m.queue_entry = positions.get(m.pk)
        # The base offer is left only once no advanced membership (which includes it) is open.
        m.can_exit = (
            can_manage
            and m.status in {Status.ACTIVE, Status.JOINED, *NOT_STARTED}
            and not (m.is_base and advanced_open)
        )
        m.exit_terms = services.exit_terms_for(m, on=today) if m.can_exit else None
        m.conv = getattr(m, "convention", None)
    spec = programme.spec
    open_offers = [
        o
        for o in spec.advanced_offers()
        if o.is_open_to(has_it_department=commune.has_it_department)
    ]
    in_base = any(
        m.offer_code == spec.base_offer.code and m.status == Status.JOINED for m in memberships
    )
    return render(
        request,
        "membership/commune.html",
        {
            "commune": commune,
            "programme": programme,
            "memberships": memberships,
            "deliberations": Deliberation.objects.filter(commune=commune),
            "can_manage": can_manage,
            "coordinator": coordinator,
            "can_apply": can_manage and in_base and not advanced_open and bool(open_offers),
            "can_join_base": coordinator
            and not any(m.offer_code == spec.base_offer.code and m.is_open for m in memberships),
            "statuses": Status,
        },
    )


@access(perms.is_signed_in)
def apply(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    _manage_or_403(request.user, commune)
    programme = _programme()
    offers = [
        o
        for o in programme.spec.advanced_offers()
        if o.is_open_to(has_it_department=commune.has_it_department)
    ]
    form = forms.ApplyForm(
        request.POST or None,
        offers=offers,
        deliberations=Deliberation.objects.filter(commune=commune),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_advanced_offer(
                programme=programme, commune=commune, by=request.user, **form.cleaned_data
            )
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("La candidature %(c)s est déposée.") % {"c": of_place(commune.name)}
            )
            return redirect("membership:commune", insee_code=commune.insee_code)
    return render(request, "membership/apply.html", {"commune": commune, "form": form})


@access(perms.is_coordinator)
def join_base(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    programme = _programme()
    form = forms.JoinBaseForm(
        request.POST or None,
        deliberations=Deliberation.objects.filter(commune=commune),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.join_base_offer(
                programme=programme, commune=commune, by=request.user, **form.cleaned_data
            )
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("%(c)s adhère au socle de base.") % {"c": commune.name})
            return redirect("membership:commune", insee_code=commune.insee_code)
    return render(request, "membership/join_base.html", {"commune": commune, "form": form})


# --- lifecycle steps on one membership ----------------------------------------------------------


@access(perms.is_coordinator)
def queue(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.ReasonForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.queue_application(membership=membership, by=request.user, **d),
        "step_queue",
    )


@access(perms.is_coordinator)
def admit(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.AdmitForm(request.POST or None)
    entry = None
    if membership.status == Status.QUEUED:
        pool = membership.programme.spec.pool_for_offer(membership.offer_code)
        state = capacity.pool_state(membership.programme, pool.code, on=timezone.localdate())
        entry = next((e for e in state.queue if e.membership.pk == membership.pk), None)
        extra = {"entry": entry, "state": state}
    else:
        extra = {}
    return _step(
        request,
        membership,
        form,
        lambda d: services.admit_commune(membership=membership, by=request.user, **d),
        "step_admit",
        extra,
    )


@access(perms.is_coordinator)
def move(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.MoveInQueueForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.move_in_queue(membership=membership, by=request.user, **d),
        "step_move",
    )


@access(perms.is_coordinator)
def issue_convention(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    form = forms.IssueConventionForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.issue_convention(membership=membership, by=request.user, **d),
        "step_issue_convention",
    )


@access(perms.is_signed_in)
def request_exit(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    _manage_or_403(request.user, membership.commune)
    form = forms.ExitForm(
        request.POST or None,
        deliberations=Deliberation.objects.filter(commune=membership.commune),
    )
    terms = services.exit_terms_for(membership, on=timezone.localdate())
    return _step(
        request,
        membership,
        form,
        lambda d: services.request_exit(
            membership=membership,
            by=request.user,
            reason=d["reason"],
            deliberation=d["deliberation"],
        ),
        "step_exit",
        {"terms": terms},
    )


@access(perms.is_signed_in)
def withdraw(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = lookups.membership_for_user(request.user, membership_id)
    _manage_or_403(request.user, membership.commune)
    form = forms.ReasonForm(request.POST or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.withdraw_application(membership=membership, by=request.user, **d),
        "step_withdraw",
    )


# --- conventions and amendments -------------------------------------------------------------------


@access(perms.is_signed_in)
def convention_pdf(request: HttpRequest, convention_id: int) -> FileResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    return _serve_pdf(convention.document, f"{convention.number}.pdf")


@access(perms.is_signed_in)
def convention_signed_pdf(request: HttpRequest, convention_id: int) -> FileResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    return _serve_pdf(convention.signed_pdf, f"{convention.number}-signee.pdf")


@access(perms.is_signed_in)
def sign_convention(request: HttpRequest, convention_id: int) -> HttpResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    membership = convention.membership
    _manage_or_403(request.user, membership.commune)
    form = forms.SignForm(request.POST or None, request.FILES or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.sign_convention(convention=convention, by=request.user, **d),
        "step_sign",
        {"document": convention},
    )


@access(perms.is_coordinator)
def issue_amendment(request: HttpRequest, convention_id: int) -> HttpResponse:
    convention = lookups.convention_for_user(request.user, convention_id)
    form = forms.AmendmentForm(request.POST or None)
    return _step(
        request,
        convention.membership,
        form,
        lambda d: services.issue_amendment(convention=convention, by=request.user, **d),
        "step_amendment",
        {"convention": convention},
    )


@access(perms.is_signed_in)
def amendment_pdf(request: HttpRequest, amendment_id: int) -> FileResponse:
    amendment = lookups.amendment_for_user(request.user, amendment_id)
    return _serve_pdf(amendment.document, f"{amendment.number}.pdf")


@access(perms.is_signed_in)
def amendment_signed_pdf(request: HttpRequest, amendment_id: int) -> FileResponse:
    amendment = lookups.amendment_for_user(request.user, amendment_id)
    return _serve_pdf(amendment.signed_pdf, f"{amendment.number}-signe.pdf")


@access(perms.is_signed_in)
def sign_amendment(request: HttpRequest, amendment_id: int) -> HttpResponse:
    amendment = lookups.amendment_for_user(request.user, amendment_id)
    membership = amendment.convention.membership
    _manage_or_403(request.user, membership.commune)
    form = forms.SignForm(request.POST or None, request.FILES or None)
    return _step(
        request,
        membership,
        form,
        lambda d: services.sign_amendment(amendment=amendment, by=request.user, **d),
        "step_sign",
        {"document": amendment},
    )


# --- deliberations ---------------------------------------------------------------------------------


@access(perms.is_signed_in)
def deliberations(request: HttpRequest) -> HttpResponse:
    queryset = lookups.visible_deliberations(request.user).select_related("commune", "membership")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(commune__name__icontains=query) | queryset.filter(
            subject__icontains=query
        )
    page = Paginator(queryset.order_by("-session_date", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "membership/deliberations.html",
        {"page": page, "q": query, "today": timezone.localdate()},
    )


@access(perms.is_signed_in)
def deliberation(request: HttpRequest, deliberation_id: int) -> HttpResponse:
    deliberation = lookups.deliberation_for_user(request.user, deliberation_id)
    steps = deliberation.transitions.select_related("membership", "by")
    return render(
        request,
        "membership/deliberation.html",
        {
            "deliberation": deliberation,
            "commune": deliberation.commune,
            "steps": steps,
            "today": timezone.localdate(),
        },
    )


@access(perms.is_signed_in)
def deliberation_pdf(request: HttpRequest, deliberation_id: int) -> FileResponse:
    deliberation = lookups.deliberation_for_user(request.user, deliberation_id)
    return _serve_pdf(deliberation.pdf, f"deliberation-{deliberation.commune.insee_code}.pdf")


@access(perms.is_signed_in)
def record_deliberation(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    _manage_or_403(request.user, commune)
    form = forms.DeliberationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if Deliberation.objects.filter(
            commune=commune,
            number=form.cleaned_data["number"],
            session_date=form.cleaned_data["session_date"],
        ).exists():
            form.add_error(
                "number",
                _("La délibération n° %(n)s de cette séance est déjà enregistrée pour %(c)s.")
                % {"n": form.cleaned_data["number"], "c": commune.name},
            )
        else:
            deliberation = services.record_deliberation(
                commune=commune,
                data=form.model_data(),
                by=request.user,
                pdf=form.cleaned_data.get("pdf"),
            )
            messages.success(request, _("La délibération est enregistrée."))
            return redirect("membership:deliberation", deliberation_id=deliberation.pk)
    return render(request, "membership/deliberation_form.html", {"commune": commune, "form": form})


# --- queue, capacity, time --------------------------------------------------------------------------


@access(perms.can_follow_admissions)
def applications(request: HttpRequest) -> HttpResponse:
    programme = _programme()
    states = capacity.pool_states(programme, on=timezone.localdate())
    pending = (
        Membership.objects.filter(programme=programme, status=Status.APPLIED)
        .select_related("commune", "programme")
        .order_by("applied_on", "created_at")
    )
    return render(
        request,
        "membership/applications.html",
        {
            "states": states,
            "pending": pending,
            "coordinator": perms.is_coordinator(request.user),
            "programme": programme,
        },
    )


@access(perms.can_follow_admissions)
def capacity_page(request: HttpRequest) -> HttpResponse:
    programme = _programme()
    states = capacity.pool_states(programme, on=timezone.localdate())
    for state in states:
        projection = state.projection()
        state.projection_rows = [
            {
                "n": n,
                "load": load,
                "free": state.capacity - load,
                "fits": load <= state.capacity,
                "commune": state.queue[n - 1].membership.commune.name if n else None,
            }
            for n, load in projection
        ]
        state.chart = charts.bar_chart(
            [_("aujourd'hui") if n == 0 else f"+{n}" for n, _load in projection],
            {
                _("Charge estimée après admission"): [load for _n, load in projection],
                _("Capacité du vivier"): [state.capacity for _n in projection],
            },
            title=_("%(pool)s : charge si l'on admet les N suivantes de la file")
            % {"pool": state.pool.name},
            unit=_("jours/an"),
        )
    return render(request, "membership/capacity.html", {"states": states, "programme": programme})


@access(perms.is_coordinator_or_referent)
def time_logs(request: HttpRequest) -> HttpResponse:
    admitted = Commune.objects.filter(memberships__status__in=CAPACITY_HOLDING).distinct()
    form = forms.TimeLogForm(
        request.POST or None, communes=admitted, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_time(by=request.user, **form.cleaned_data)
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Le temps passé est enregistré."))
            return redirect("membership:time_logs")
    page = Paginator(TimeLog.objects.select_related("commune", "by"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "membership/time_logs.html", {"form": form, "page": page})
