"""The intercommunal staff's homes, where the site's root (`views.home`) sends each role: elected
officials to the programme on one screen (`reviews.home`, read from the reviews), the finance
office to money, coordinators and the referent to what needs action today (commune people keep
their commune's « À suivre »)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mutualis.accounts import perms
from mutualis.accounts.enums import StaffRole
from mutualis.core.access import access
from mutualis.dashboards.home_figures import actions_today, money_figures
from mutualis.programme.models import Programme
from mutualis.programme.selection import programme_for

STAFF_HOMES = {
    StaffRole.OBSERVER: "reviews:home",
    StaffRole.FINANCE: "dashboards:home_finance",
    StaffRole.COORDINATOR: "dashboards:home_actions",
    StaffRole.REFERENT: "dashboards:home_actions",
}


def _programme(request) -> Programme:
    programme = programme_for(request)
    if programme is None:
        raise Http404
    return programme


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
        {"actions": actions_today(_programme(request))},
    )
