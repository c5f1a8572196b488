"""The communes' purchasing roadmaps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.charts import bar_chart
from mutualis.core.collation import french
from mutualis.core.submissions import submitted_once
from mutualis.purchasing import audience, services
from mutualis.purchasing import perms as purchasing_perms
from mutualis.purchasing.aggregate import roadmap_summary
from mutualis.purchasing.enums import RoadmapStatus
from mutualis.purchasing.forms import RoadmapItemForm, RoadmapStatusForm
from mutualis.purchasing.measures import measure_label
from mutualis.purchasing.models import RoadmapItem
from mutualis.purchasing.views._common import _refused, _scoped

# --- Roadmaps ----------------------------------------------------------------------------------


@access(perms.is_staff_member)
def roadmaps(request: HttpRequest) -> HttpResponse:
    summary = roadmap_summary(
        RoadmapItem.objects.filter(commune__in=perms.visible_communes(request.user))
    )
    chart = ""
    if summary.years:
        chart = bar_chart(
            [str(y) for y in summary.years],
            {
                label: [summary.cells.get((y, code), 0) for y in summary.years]
                for code, label in summary.categories
            },
            title=_("Achats prévus par année et par catégorie"),
            unit="€",
            stacked=True,
        )
    per_commune = (
        RoadmapItem.objects.exclude(status=RoadmapStatus.CANCELLED)
        .values("commune__insee_code", "commune__name")
        .annotate(items=Count("id"))
        .order_by(french("commune__name"))
    )
    return render(
        request,
        "purchasing/roadmaps.html",
        {"summary": summary, "chart": chart, "per_commune": per_commune},
    )


@access(perms.is_signed_in)
@submitted_once
def commune_roadmap(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = perms.get_commune_for_user(request.user, insee_code)
    advanced = audience.is_advanced(commune)
    can_edit = advanced and purchasing_perms.can_edit_roadmap(request.user, commune)
    form = RoadmapItemForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            item = form.save(commit=False)
            item.commune = commune
            services.save_roadmap_item(item=item, by=request.user)
            messages.success(request, _("L'achat est ajouté à la feuille de route."))
            return redirect("purchasing:commune_roadmap", insee_code=commune.insee_code)
    items = list(RoadmapItem.objects.filter(commune=commune).select_related("created_by"))
    for item in items:
        item.measure_text = measure_label(item.measure_id)
    return render(
        request,
        "purchasing/commune_roadmap.html",
        {
            "commune": commune,
            "items": items,
            "summary": roadmap_summary(RoadmapItem.objects.filter(commune=commune)),
            "form": form if can_edit else None,
            "advanced": advanced,
        },
    )


@access(perms.is_signed_in)
def roadmap_item(request: HttpRequest, roadmap_item_id: int) -> HttpResponse:
    item = _scoped(RoadmapItem.objects.all(), request.user, roadmap_item_id)
    if not purchasing_perms.can_edit_roadmap(request.user, item.commune):
        raise PermissionDenied
    form = RoadmapItemForm(request.POST if "save" in request.POST else None, instance=item)
    status_form = RoadmapStatusForm(
        request.POST if "status" in request.POST else None, initial={"status": item.status}
    )
    if request.method == "POST":
        if "save" in request.POST and form.is_valid():
            services.save_roadmap_item(item=form.save(commit=False), by=request.user)
            messages.success(request, _("L'achat est modifié."))
            return redirect("purchasing:commune_roadmap", insee_code=item.commune.insee_code)
        if "status" in request.POST and status_form.is_valid():
            try:
                services.set_roadmap_status(item=item, by=request.user, **status_form.cleaned_data)
                messages.success(request, _("L'état de l'achat est mis à jour."))
                return redirect("purchasing:commune_roadmap", insee_code=item.commune.insee_code)
            except services.Refused as error:
                _refused(request, error)
    return render(
        request,
        "purchasing/roadmap_item.html",
        {
            "item": item,
            "form": form,
            "status_form": status_form,
            "measure": measure_label(item.measure_id),
        },
    )
