"""Pages of the membership lifecycle: a commune's memberships, deliberations, conventions, the
admission queue, the capacity pools and the referent's time. Uploads are served only here."""

import contextlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core import charts, uploads
from mutualis.core.access import access
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.membership import capacity, drafts, forms, lookups, readings, services
from mutualis.membership import perms as membership_perms
from mutualis.membership.deliberations.context import findings_for
from mutualis.membership.deliberations.names import place_key
from mutualis.membership.deliberations.reader import read_text
from mutualis.membership.enums import CAPACITY_HOLDING, NOT_STARTED, Status
from mutualis.membership.models import (
    Deliberation,
    Membership,
    ScanReading,
    TimeLog,
    Transition,
)
from mutualis.membership.rules import of_place
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for
from mutualis.territory.models import Commune


def _programme(request) -> Programme:
    programme = programme_for(request)
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
    programme = _programme(request)
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
    programme = _programme(request)
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
    programme = _programme(request)
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


PENDING_UPLOADS = "membership_deliberation_uploads"
# The « lecture en cours » page reloads itself this often (seconds).
SCAN_REFRESH_SECONDS = 5


def _keep_pending_pdf(request, commune, document) -> str:
    """Keep an uploaded PDF until the user confirms; the token is valid only in this session
    and for this commune."""
    stored = uploads.store_upload(document, prefix=readings.PENDING_PREFIX, kinds=("pdf",))
    token = secrets.token_urlsafe(24)
    pending = request.session.get(PENDING_UPLOADS, {})
    pending[token] = {"name": stored.name, "commune": commune.insee_code, "filename": document.name}
    request.session[PENDING_UPLOADS] = pending
    return token


def _pending_pdf(request, commune, token: str) -> dict | None:
    entry = request.session.get(PENDING_UPLOADS, {}).get(token)
    if entry and entry["commune"] == commune.insee_code and default_storage.exists(entry["name"]):
        return entry
    return None


def _drop_pending_pdf(request, token: str) -> None:
    pending = request.session.get(PENDING_UPLOADS, {})
    entry = pending.pop(token, None)
    request.session[PENDING_UPLOADS] = pending
    if entry:
        with contextlib.suppress(OSError):
            default_storage.delete(entry["name"])


def _other_commune(reading, commune) -> str | None:
    """The commune the document names, when it is not the one the deliberation is recorded for."""
    if reading.commune and place_key(reading.commune) != place_key(commune.name):
        return reading.commune
    return None


def _queue_scan(request, commune, upload, context) -> HttpResponse:
    """A PDF without text layer: keep it and let the scheduled job read it by OCR."""
    try:
        scan = readings.queue_scan(
            commune=commune, document=upload.cleaned_data["document"], by=request.user
        )
    except uploads.UploadError as error:
        upload.add_error("document", error)
        return render(request, "membership/deliberation_form.html", context)
    if settings.MUTUALIS_OCR_IN_REQUEST:  # the demo: no cron runs the job
        readings.read_scans(pk=scan.pk)
    return redirect("membership:scan_reading", scan_id=scan.pk)


def _confirmable_scan(commune, scan_id: int | None) -> ScanReading | None:
    if not scan_id:
        return None
    scan = ScanReading.objects.filter(pk=scan_id, commune=commune).first()
    return scan if scan is not None and scan.confirmable else None


@access(perms.is_signed_in)
def record_deliberation(request: HttpRequest, insee_code: str) -> HttpResponse:
    """Record a deliberation: upload its document to fill the form from the reader, check and
    correct the values, confirm; the findings are computed again from the confirmed values."""
    commune = perms.get_commune_for_user(request.user, insee_code)
    _manage_or_403(request.user, commune)
    reading_step = request.method == "POST" and request.POST.get("step") == "read"
    upload = forms.DeliberationUploadForm(
        request.POST if reading_step else None, request.FILES if reading_step else None
    )
    form = forms.DeliberationForm(
        None if reading_step else (request.POST or None), None if reading_step else request.FILES
    )
    context = {"commune": commune, "form": form, "upload": upload}
    if reading_step:
        if upload.is_valid():
            if upload.needs_ocr:
                return _queue_scan(request, commune, upload, context)
            reading = read_text(upload.text)
            initial = forms.initial_from_reading(reading)
            document = upload.cleaned_data["document"]
            if upload.kind == "pdf":
                initial["upload_token"] = _keep_pending_pdf(request, commune, document)
            context.update(
                form=forms.DeliberationForm(initial=initial),
                upload=forms.DeliberationUploadForm(),
                read_from=document.name,
                kept_pdf=upload.kind == "pdf",
                findings=findings_for(reading),
                other_commune=_other_commune(reading, commune),
            )
        return render(request, "membership/deliberation_form.html", context)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.get("upload_token")
        pending = _pending_pdf(request, commune, token) if token else None
        scan_id = form.cleaned_data.get("scan")
        scan = _confirmable_scan(commune, scan_id)
        pdf = form.cleaned_data.get("pdf")
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
        elif ((token and not pending) or (scan_id and not scan)) and not pdf:
            form.add_error(
                "pdf",
                _(
                    "Le PDF lu n'est plus disponible (session ou lecture expirée) : joignez-le"
                    " de nouveau ou enregistrez sans PDF en le retirant."
                ),
            )
        else:
            data = form.model_data()
            data["findings"] = findings_for(form.reading(commune.name), commune=commune)
            deliberation = None
            if scan is not None:
                try:
                    deliberation = readings.record_from_scan(
                        scan=scan, data=data, by=request.user, pdf=pdf
                    )
                except readings.ScanUnavailable:
                    form.add_error("pdf", _("Le PDF lu n'est plus disponible : joignez-le."))
                    scan = None
            elif pdf is None and pending:
                with default_storage.open(pending["name"], "rb") as handle:
                    deliberation = services.record_deliberation(
                        commune=commune, data=data, by=request.user, pdf=File(handle)
                    )
                _drop_pending_pdf(request, token)
            else:
                deliberation = services.record_deliberation(
                    commune=commune, data=data, by=request.user, pdf=pdf
                )
            if deliberation is not None:
                messages.success(request, _("La délibération est enregistrée."))
                return redirect("membership:deliberation", deliberation_id=deliberation.pk)
        if pending or scan:
            context["kept_pdf"] = True
            context["read_from"] = pending["filename"] if pending else scan.filename
            context["scan"] = scan
    return render(request, "membership/deliberation_form.html", context)


@access(perms.is_signed_in)
def scan_reading(request: HttpRequest, scan_id: int) -> HttpResponse:
    """A scanned deliberation's reading: « en cours » (the page refreshes itself) until the OCR
    job has read it, then the form pre-filled as for any upload; a failure lets the person fill
    the form by hand, the PDF kept. Only those who may record the commune's deliberations."""
    scan = lookups.scan_reading_for_user(request.user, scan_id)
    commune = scan.commune
    _manage_or_403(request.user, commune)
    if scan.status == ScanReading.Status.CONFIRMED and scan.deliberation_id:
        return redirect("membership:deliberation", deliberation_id=scan.deliberation_id)
    if not scan.confirmable:  # waiting, or expired
        return render(
            request,
            "membership/scan_reading.html",
            {"scan": scan, "commune": commune, "refresh_seconds": SCAN_REFRESH_SECONDS},
        )
    context = {
        "commune": commune,
        "upload": forms.DeliberationUploadForm(),
        "read_from": scan.filename,
        "kept_pdf": True,
        "scan": scan,
    }
    initial = {"scan": scan.pk}
    if scan.status == ScanReading.Status.DONE:
        reading = read_text(scan.text)
        initial.update(forms.initial_from_reading(reading))
        context["findings"] = (scan.result or {}).get("findings", [])
        context["other_commune"] = _other_commune(reading, commune)
    context["form"] = forms.DeliberationForm(initial=initial)
    return render(request, "membership/deliberation_form.html", context)


def _draft_for(request, insee_code: str) -> drafts.Draft:
    commune = perms.get_commune_for_user(request.user, insee_code)
    _manage_or_403(request.user, commune)
    return drafts.build_draft(commune, _programme(request).spec, today=timezone.localdate())


@access(perms.is_signed_in)
def draft_deliberation(request: HttpRequest, insee_code: str) -> HttpResponse:
    """The model deliberation for joining, pre-filled for the commune, to download."""
    draft = _draft_for(request, insee_code)
    return render(
        request,
        "membership/draft_deliberation.html",
        {"commune": draft.commune, "draft": draft},
    )


@access(perms.is_signed_in)
def draft_deliberation_pdf(request: HttpRequest, insee_code: str) -> HttpResponse:
    draft = _draft_for(request, insee_code)
    pdf = render_pdf("membership/draft_deliberation_pdf.html", {"draft": draft})
    return pdf_response(pdf, f"{draft.filename_stem}.pdf")


@access(perms.is_signed_in)
def draft_deliberation_docx(request: HttpRequest, insee_code: str) -> HttpResponse:
    draft = _draft_for(request, insee_code)
    response = HttpResponse(
        drafts.render_docx(draft), content_type=uploads.KINDS["docx"].content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{draft.filename_stem}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- queue, capacity, time --------------------------------------------------------------------------


@access(membership_perms.can_follow_admissions)
def applications(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
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


@access(membership_perms.can_follow_admissions)
def capacity_page(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
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
