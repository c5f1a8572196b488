"""Each person's home: `/accueil/` sends every role to the page that fits it — elected officials
to the programme on one screen, the finance office to money, coordinators and the referent to what
needs action today, commune people to their commune's « À suivre »."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from mutualis.accounts import perms
from mutualis.accounts.enums import StaffRole
from mutualis.core.access import access
from mutualis.dashboards.home_figures import actions_today, money_figures
from mutualis.programme.models import Programme
from mutualis.reviews.models import Review
from mutualis.reviews.summary import programme_summary
from mutualis.territory.models import Commune

STAFF_HOMES = {
    StaffRole.OBSERVER: "dashboards:home_summary",
    StaffRole.FINANCE: "dashboards:home_finance",
    StaffRole.COORDINATOR: "dashboards:home_actions",
    StaffRole.REFERENT: "dashboards:home_actions",
}


def _programme() -> Programme:
    programme = Programme.objects.current()
    if programme is None:
        raise Http404
    return programme


@access(perms.is_signed_in)
def home(request: HttpRequest) -> HttpResponse:
    if perms.is_staff_member(request.user):
        return redirect(STAFF_HOMES[request.user.staff_role])
    if perms.is_commune_member(request.user):
        return redirect("dashboards:my_commune")
    return redirect("programme:detail")


@access(perms.is_staff_member)
def home_summary(request: HttpRequest) -> HttpResponse:
    programme = _programme()
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
        "dashboards/home_summary.html",
        {
            "programme": programme,
            "summary": summary,
            "can_see_cyber": perms.can_view_cyber_programme(request.user),
        },
    )


@access(perms.is_finance_or_coordinator)
def home_finance(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "dashboards/home_finance.html",
        {"money": money_figures(today=today), "today": today},
    )


@access(perms.is_coordinator_or_referent)
def home_actions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboards/home_actions.html",
        {"actions": actions_today(_programme())},
    )
