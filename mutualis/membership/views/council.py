"""Deliberations of the municipal councils: the list, one deliberation, recording one from an upload or a scan, the draft to adopt."""

import contextlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core import uploads
from mutualis.core.access import access
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.core.submissions import submitted_once
from mutualis.membership import drafts, forms, lookups, readings, services
from mutualis.membership.deliberations.context import findings_for
from mutualis.membership.deliberations.names import place_key
from mutualis.membership.deliberations.reader import read_text
from mutualis.membership.models import Deliberation, ScanReading
from mutualis.membership.views._common import _manage_or_403, _programme, _serve_pdf

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
@submitted_once
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
        return _read_upload(request, commune, upload, context)
    if request.method == "POST" and form.is_valid():
        deliberation = _confirm_deliberation(request, commune, form, context)
        if deliberation is not None:
            messages.success(request, _("La délibération est enregistrée."))
            return redirect("membership:deliberation", deliberation_id=deliberation.pk)
    return render(request, "membership/deliberation_form.html", context)


def _read_upload(request, commune, upload, context) -> HttpResponse:
    """The reading step: fill the form from the uploaded document's text (a scan is queued for
    OCR); a text PDF is kept in the session until the values are confirmed."""
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


def _confirm_deliberation(request, commune, form, context) -> Deliberation | None:
    """The confirm step: record the checked values with the PDF read earlier (kept in the session
    or by the scan) or attached now; None when refused, the errors on the form."""
    token = form.cleaned_data.get("upload_token")
    pending = _pending_pdf(request, commune, token) if token else None
    scan_id = form.cleaned_data.get("scan")
    scan = _confirmable_scan(commune, scan_id)
    pdf = form.cleaned_data.get("pdf")
    pdf_lost = ((token and not pending) or (scan_id and not scan)) and not pdf
    if not _refuse_confirmation(form, commune, pdf_lost=pdf_lost):
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
            return deliberation
    if pending or scan:
        context["kept_pdf"] = True
        context["read_from"] = pending["filename"] if pending else scan.filename
        context["scan"] = scan
    return None


def _refuse_confirmation(form, commune, *, pdf_lost: bool) -> bool:
    """Refuse a deliberation already recorded, or a PDF read earlier and since lost."""
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
        return True
    if pdf_lost:
        form.add_error(
            "pdf",
            _(
                "Le PDF lu n'est plus disponible (session ou lecture expirée) : joignez-le"
                " de nouveau ou enregistrez sans PDF en le retirant."
            ),
        )
        return True
    return False


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
