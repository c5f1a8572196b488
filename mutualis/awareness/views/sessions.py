"""On-site sessions: scheduling, registering attendees, the sign-in sheet, attendance."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.accounts.models import User
from mutualis.awareness import perms as awareness_perms
from mutualis.awareness import services
from mutualis.awareness.forms import AttendeeForm, ReasonForm, SessionForm
from mutualis.awareness.models import Attendee, OnsiteSession
from mutualis.awareness.stats import programme_communes
from mutualis.core.access import access
from mutualis.core.lookups import get_visible_or_404
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.core.submissions import submitted_once
from mutualis.programme.selection import programme_for

EXTRA_SIGN_IN_ROWS = 6


def _visible_sessions(sessions, user):
    """Every session for staff; for a commune's people, their communes' sessions."""
    if perms.is_staff_member(user):
        return sessions.filter(commune__in=perms.staff_communes(user))
    return sessions.filter(commune__in=[c.pk for c in user.communes()])


def _session_for(user, session_id: int) -> OnsiteSession:
    """The session if the user may see it (staff, the commune's people); else 404."""
    return get_visible_or_404(
        OnsiteSession.objects.select_related("commune"),
        user,
        visible=_visible_sessions,
        pk=session_id,
    )


@access(awareness_perms.can_view_onsite_sessions)
def session_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = _visible_sessions(
        OnsiteSession.objects.select_related("commune"), request.user
    ).prefetch_related("attendees")
    return render(
        request,
        "awareness/sessions.html",
        {
            "upcoming": sessions.filter(starts_at__gte=now).order_by("starts_at")[:100],
            "past": sessions.filter(starts_at__lt=now).order_by("-starts_at")[:100],
            "can_schedule": awareness_perms.can_schedule_onsite_sessions(request.user),
        },
    )


@access(awareness_perms.can_schedule_onsite_sessions)
@submitted_once
def session_new(request: HttpRequest) -> HttpResponse:
    initial = {"facilitator": request.user.get_full_name()}
    if request.GET.get("commune"):
        initial["commune"] = (
            programme_communes(programme_for(request))
            .filter(insee_code=request.GET["commune"])
            .first()
        )
    form = SessionForm(
        request.POST or None, communes=programme_communes(programme_for(request)), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.schedule_session(
                by=request.user,
                commune=data["commune"],
                title=data["title"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                facilitator=data["facilitator"],
                modules=data["modules"],
                in_advanced_offer=services.in_advanced_offer(data["commune"]),
                outside_offer_reason=data["outside_offer_reason"],
            )
        except services.AwarenessError as error:
            form.add_error("outside_offer_reason", str(error))
        else:
            messages.success(request, _("Session programmée."))
            return redirect("awareness:session", session_id=session.pk)
    return render(request, "awareness/session_form.html", {"form": form})


@access(awareness_perms.can_view_onsite_sessions)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request.user, session_id)
    can_register = awareness_perms.can_register_session_attendees(request.user, session.commune)
    people = User.objects.filter(pk__in=[u.pk for u in services.people_of(session.commune)])
    data = request.POST if request.method == "POST" else None
    form = AttendeeForm(data, people=people) if can_register else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                attendee = services.register_attendee(
                    session=session,
                    by=request.user,
                    user=form.cleaned_data["user"],
                    full_name=form.cleaned_data["full_name"],
                    job_title=form.cleaned_data["job_title"],
                )
            except services.AwarenessError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(n)s est inscrit(e).") % {"n": attendee.full_name})
                return redirect("awareness:session", session_id=session.pk)
    return render(
        request,
        "awareness/session.html",
        _session_context(request.user, session, form, can_register),
    )


def _session_context(user, session: OnsiteSession, form, can_register: bool) -> dict:
    """The session page: its attendees and modules, and what the user may do with it."""
    return {
        "session": session,
        "attendees": session.attendees.select_related("user"),
        "modules": session.modules.all(),
        "form": form if session.is_open_for_registration else None,
        "can_register": can_register and session.is_open_for_registration,
        "can_print": can_register,
        "can_record": awareness_perms.can_schedule_onsite_sessions(user)
        and session.cancelled_at is None
        and session.starts_at <= timezone.now(),
        "can_cancel": awareness_perms.can_schedule_onsite_sessions(user)
        and session.cancelled_at is None
        and session.attendance_recorded_at is None,
    }


@access(awareness_perms.can_view_onsite_sessions)
def sign_in_sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request.user, session_id)
    if not awareness_perms.can_register_session_attendees(request.user, session.commune):
        raise Http404
    attendees = list(session.attendees.all())
    pdf = render_pdf(
        "awareness/sign_in_sheet_pdf.html",
        {
            "session": session,
            "attendees": attendees,
            "modules": session.modules.all(),
            "blank_rows": range(EXTRA_SIGN_IN_ROWS),
        },
    )
    return pdf_response(pdf, f"emargement-{session.commune.insee_code}-{session.pk}.pdf")


@access(awareness_perms.can_schedule_onsite_sessions)
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request.user, session_id)
    attendees = list(session.attendees.all())
    error = ""
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            services.record_attendance(session=session, by=request.user, present_ids=present)
        except services.AwarenessError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect("awareness:session", session_id=session.pk)
    return render(
        request,
        "awareness/session_attendance.html",
        {"session": session, "attendees": attendees, "error": error},
    )


@access(awareness_perms.can_schedule_onsite_sessions)
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_for(request.user, session_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                session=session, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AwarenessError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("La session est annulée."))
            return redirect("awareness:session", session_id=session.pk)
    return render(request, "awareness/session_cancel.html", {"session": session, "form": form})


@access(awareness_perms.can_view_onsite_sessions)
@require_POST
def attendee_remove(request: HttpRequest, session_id: int, attendee_id: int) -> HttpResponse:
    session = _session_for(request.user, session_id)
    if not awareness_perms.can_register_session_attendees(request.user, session.commune):
        raise Http404
    attendee = get_object_or_404(Attendee, pk=attendee_id, session=session)
    try:
        services.unregister_attendee(attendee=attendee, by=request.user)
    except services.AwarenessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s est désinscrit(e).") % {"n": attendee.full_name})
    return redirect("awareness:session", session_id=session.pk)
