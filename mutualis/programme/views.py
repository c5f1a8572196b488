"""The programme page: offers, services and rules, straight from the programme file."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutualis.core.access import PUBLIC, access
from mutualis.programme.models import Programme


@access(PUBLIC)
def detail(request: HttpRequest) -> HttpResponse:
    programme = Programme.objects.current()
    context = {"programme": programme}
    if programme:
        version = programme.spec_version
        context.update(spec=version.spec, version=version)
    return render(request, "programme/detail.html", context)
