"""The coordinators' pages: applications, capacity of the advanced offers, time logs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core import charts
from mutualis.core.access import access
from mutualis.core.submissions import submitted_once
from mutualis.membership import capacity, forms, services
from mutualis.membership import perms as membership_perms
from mutualis.membership.enums import CAPACITY_HOLDING, Status
from mutualis.membership.models import Membership, TimeLog
from mutualis.membership.views._common import _programme
from mutualis.territory.models import Commune

# --- queue, capacity, time --------------------------------------------------------------------------


@access(membership_perms.can_follow_admissions)
def applications(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    states = capacity.pool_states(programme, on=timezone.localdate())
    pending = (
        Membership.objects.filter(programme=programme, status=Status.APPLIED)
        .select_related("commune", "programme")
        .order_by("applied_on", "created_at")
    )
    return render(
        request,
        "membership/applications.html",
        {
            "states": states,
            "pending": pending,
            "coordinator": perms.is_coordinator(request.user),
            "programme": programme,
        },
    )


@access(membership_perms.can_follow_admissions)
def capacity_page(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    states = capacity.pool_states(programme, on=timezone.localdate())
    for state in states:
        projection = state.projection()
        state.projection_rows = [
            {
                "n": n,
                "load": load,
                "free": state.capacity - load,
                "fits": load <= state.capacity,
                "commune": state.queue[n - 1].membership.commune.name if n else None,
            }
            for n, load in projection
        ]
        state.chart = charts.bar_chart(
            [_("aujourd'hui") if n == 0 else f"+{n}" for n, _load in projection],
            {
                _("Charge estimée après admission"): [load for _n, load in projection],
                _("Capacité du vivier"): [state.capacity for _n in projection],
            },
            title=_("%(pool)s : charge si l'on admet les N suivantes de la file")
            % {"pool": state.pool.name},
            unit=_("jours/an"),
        )
    return render(request, "membership/capacity.html", {"states": states, "programme": programme})


@access(perms.is_coordinator_or_referent)
@submitted_once
def time_logs(request: HttpRequest) -> HttpResponse:
    admitted = Commune.objects.filter(memberships__status__in=CAPACITY_HOLDING).distinct()
    form = forms.TimeLogForm(
        request.POST or None, communes=admitted, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.log_time(by=request.user, **form.cleaned_data)
        except services.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Le temps passé est enregistré."))
            return redirect("membership:time_logs")
    page = Paginator(TimeLog.objects.select_related("commune", "by"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "membership/time_logs.html", {"form": form, "page": page})
