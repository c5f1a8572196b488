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
        # The page shows the version's file, number and date and nothing else of the database:
        # rendered once per process for each version (offers × axes × services of tags).
        context.update(
            spec=version.spec,
            version=version,
            page_key="|".join([version.sha256, str(version.number), version.loaded_at.isoformat()]),
        )
    return render(request, "programme/detail.html", context)
