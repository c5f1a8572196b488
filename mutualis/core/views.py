"""Pages every visitor may read: legal notice, privacy, accessibility (the home redirect, which
knows roles, is `dashboards.views.home`)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutualis.core.access import PUBLIC, access


@access(PUBLIC)
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal_notice.html")


@access(PUBLIC)
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@access(PUBLIC)
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
