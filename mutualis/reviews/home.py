"""The elected officials' home: the programme on one screen, from the latest published review
(`summary.programme_summary`), with the details one click away."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.cyber import perms as cyber_perms
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for
from mutualis.reviews.models import Review
from mutualis.reviews.summary import programme_summary
from mutualis.territory.models import Commune


def _programme(request) -> Programme:
    programme = programme_for(request)
    if programme is None:
        raise Http404
    return programme


@access(perms.is_staff_member)
def home(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    review = (
        Review.objects.filter(programme=programme, state=Review.State.PUBLISHED)
        .select_related("programme")
        .order_by("-number")
        .first()
    )
    summary = None
    if review is not None:
        communes = Commune.objects.filter(
            epci__siren__in=programme.spec.programme.epci_sirens, is_active=True
        ).count()
        summary = programme_summary(review, communes_total=communes)
    return render(
        request,
        "reviews/home.html",
        {
            "programme": programme,
            "summary": summary,
            "can_see_cyber": cyber_perms.can_view_cyber_programme(request.user),
        },
    )
