"""Pages every visitor may read: home redirect, legal notice, privacy, accessibility, health."""

import logging

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from mutualis.accounts import perms
from mutualis.core.access import PUBLIC, access

logger = logging.getLogger(__name__)


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if perms.is_staff_member(user):
        return redirect("dashboards:communes")
    if perms.is_commune_member(user):
        return redirect("dashboards:my_commune")
    return redirect("programme:detail")


@access(PUBLIC)
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal_notice.html")


@access(PUBLIC)
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@access(PUBLIC)
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@access(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable and every migration applied; 503 otherwise. Says nothing else."""
    checks = {"database": False, "migrations": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        executor = MigrationExecutor(connection)
        checks["migrations"] = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # any failure means unhealthy; details go to the log, not the page
        logger.exception("health check failed")
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
