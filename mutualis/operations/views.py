"""Operations pages for coordinators (scheduler, outbox, accounts, archives) and /healthz."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mutualis.accounts import perms
from mutualis.accounts.models import User
from mutualis.core.access import PUBLIC, access
from mutualis.core.collation import french
from mutualis.operations.archive import archive_name, build_commune_archive
from mutualis.operations.forms import DeactivationForm
from mutualis.operations.mail import retry_now
from mutualis.operations.models import AccountDeactivation, EmailStatus, JobState, OutgoingEmail
from mutualis.operations.personal_data import DeactivationRefused, deactivate_account
from mutualis.operations.scheduler import HEARTBEAT, JOBS, heartbeat_age

logger = logging.getLogger(__name__)


@access(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, every migration applied, scheduler alive; 503 naming what failed."""
    checks = {"database": False, "migrations": False, "scheduler": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        executor = MigrationExecutor(connection)
        checks["migrations"] = not executor.migration_plan(executor.loader.graph.leaf_nodes())
        max_silence = settings.MUTUALIS_SCHEDULER_MAX_SILENCE_MINUTES
        age = heartbeat_age()
        checks["scheduler"] = not max_silence or (
            age is not None and age.total_seconds() <= max_silence * 60
        )
    except Exception:  # any failure means unhealthy; details go to the log, not the page
        logger.exception("health check failed")
    failed = [name for name, ok in checks.items() if not ok]
    return JsonResponse(
        {"status": "error" if failed else "ok", **checks, "failed": failed},
        status=503 if failed else 200,
    )


@access(perms.is_coordinator)
def overview(request: HttpRequest) -> HttpResponse:
    states = {s.name: s for s in JobState.objects.all()}
    jobs = [{"job": job, "state": states.get(job.name)} for job in JOBS]
    counts = OutgoingEmail.objects.aggregate(
        queued=Count("id", filter=Q(status=EmailStatus.QUEUED)),
        failed=Count("id", filter=Q(status=EmailStatus.FAILED)),
    )
    heartbeat = states.get(HEARTBEAT)
    return render(
        request,
        "operations/overview.html",
        {
            "jobs": jobs,
            "counts": counts,
            "heartbeat_at": heartbeat.last_success_at if heartbeat else None,
        },
    )


@access(perms.is_coordinator)
def outbox(request: HttpRequest) -> HttpResponse:
    unsent = OutgoingEmail.objects.unsent().order_by("status", "next_attempt_at", "id")
    page = Paginator(unsent, settings.MUTUALIS_PAGE_SIZE).get_page(request.GET.get("page"))
    sent = OutgoingEmail.objects.filter(status=EmailStatus.SENT).order_by("-sent_at")[:20]
    return render(request, "operations/outbox.html", {"page": page, "sent": sent})


@access(perms.is_coordinator)
@require_POST
def outbox_retry(request: HttpRequest, email_id: int) -> HttpResponse:
    row = get_object_or_404(OutgoingEmail, pk=email_id)
    if retry_now(row=row, by=request.user):
        messages.success(
            request,
            _("Le courriel « %(subject)s » sera renvoyé au prochain passage du planificateur.")
            % {"subject": row.subject},
        )
    else:
        messages.warning(request, _("Ce courriel a déjà été envoyé."))
    return redirect("operations:outbox")


def _people_for(user):
    """The accounts a coordinator manages: everyone for coordinators serving every programme;
    else the people of their territories' communes and the staff of their programmes."""
    if perms.staff_epci_ids(user) is None:
        return User.objects.all()
    programmes = user.programme_assignments.values("programme")
    return User.objects.filter(
        Q(commune_roles__commune__in=perms.visible_communes(user))
        | Q(programme_assignments__programme__in=programmes)
    ).distinct()


@access(perms.is_coordinator)
def accounts(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = (
        _people_for(request.user)
        .select_related("deactivation")
        .order_by("-is_active", french("username"))
    )
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    page = Paginator(users, settings.MUTUALIS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/accounts.html",
        {
            "page": page,
            "query": query,
            "delay": settings.MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS,
            "proconnect": settings.MUTUALIS_OIDC_ENABLED,
            "stale_days": settings.MUTUALIS_OIDC_STALE_DAYS,
            "stale_before": timezone.now() - timedelta(days=settings.MUTUALIS_OIDC_STALE_DAYS),
        },
    )


@access(perms.is_coordinator)
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(_people_for(request.user), pk=user_id)
    if AccountDeactivation.objects.filter(user=person).exists():
        messages.warning(request, _("Ce compte est déjà désactivé."))
        return redirect("operations:accounts")
    form = DeactivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deactivation = deactivate_account(
                user=person, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DeactivationRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Le compte « %(user)s » est désactivé. Ses coordonnées seront effacées le "
                    "%(date)s."
                )
                % {
                    "user": person,
                    "date": timezone.localtime(deactivation.erase_after).strftime("%d/%m/%Y"),
                },
            )
            return redirect("operations:accounts")
    return render(
        request,
        "operations/deactivate.html",
        {
            "person": person,
            "form": form,
            "roles": person.active_commune_roles(),
            "delay": settings.MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS,
        },
    )


@access(perms.is_coordinator)
def archives(request: HttpRequest) -> HttpResponse:
    communes = (
        perms.visible_communes(request.user)
        .filter(
            Q(memberships__isnull=False)
            | Q(user_roles__isnull=False)
            | Q(participations__isnull=False)
        )
        .distinct()
    )
    return render(
        request, "operations/archives.html", {"communes": communes.order_by(french("name"))}
    )


@access(perms.is_coordinator)
def commune_archive(request: HttpRequest, insee_code: str) -> FileResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    handle = build_commune_archive(commune=commune, by=request.user)
    return FileResponse(
        handle, as_attachment=True, filename=archive_name(commune), content_type="application/zip"
    )
