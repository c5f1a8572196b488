"""Pages every visitor may read: home redirect, legal notice, privacy, accessibility."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mutualis.accounts import perms
from mutualis.core.access import PUBLIC, access


@access(PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if perms.is_staff_member(user):
        return redirect("dashboards:home")
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
