"""The programme-wide view: diagnostics done, maturity by commune, measures most often missing."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.access import access
from mutualis.core.charts import bar_chart
from mutualis.core.exports import SafeCsvWriter, csv_writer
from mutualis.cyber import perms as cyber_perms
from mutualis.cyber.models import Diagnostic, DiagnosticStatus, FirstAdviceRecord, PlanMeasure
from mutualis.programme.selection import programme_for


def programme_figures(programme) -> dict:
    """Everything the programme view shows, for the communes of the programme's territory, in a
    fixed number of queries."""
    diagnostics = Diagnostic.objects.filter(commune__epci__programmes=programme)
    latest = sorted(
        diagnostics.select_related("commune").latest_completed_by_commune().values(),
        key=lambda d: d.commune.name,
    )
    status_counts = dict(diagnostics.values_list("status").annotate(n=Count("pk")).order_by())
    missing = list(
        PlanMeasure.objects.filter(diagnostic__in=[d.pk for d in latest])
        .open()
        .values("measure_id", "title")
        .annotate(communes=Count("diagnostic__commune", distinct=True))
        .order_by("-communes", "measure_id")
    )
    levels: dict[tuple[int, str], int] = {}
    for diagnostic in latest:
        if diagnostic.maturity_level is not None:
            key = (diagnostic.maturity_level, diagnostic.maturity_label)
            levels[key] = levels.get(key, 0) + 1
    return {
        "latest": latest,
        "completed": status_counts.get(DiagnosticStatus.COMPLETED, 0),
        "drafts": status_counts.get(DiagnosticStatus.DRAFT, 0),
        "advice_communes": FirstAdviceRecord.objects.filter(commune__epci__programmes=programme)
        .values("commune")
        .distinct()
        .count(),
        "missing": missing,
        "levels": [(level, label, n) for (level, label), n in sorted(levels.items())],
    }


@access(cyber_perms.can_view_cyber_programme)
def programme(request: HttpRequest) -> HttpResponse:
    figures = programme_figures(programme_for(request))
    latest, missing, levels = figures["latest"], figures["missing"], figures["levels"]
    charts = {}
    if latest:
        charts["scores"] = bar_chart(
            [d.commune.name for d in latest],
            {_("Score global"): [d.overall for d in latest]},
            title=_("Score global du dernier diagnostic, par commune"),
            unit="/ 100",
            width=720,
        )
        charts["levels"] = bar_chart(
            [label for _level, label, _n in levels],
            {_("Communes"): [n for _level, _label, n in levels]},
            title=_("Communes par niveau de maturité"),
        )
    if missing:
        top = missing[:10]
        charts["missing"] = bar_chart(
            [row["title"] for row in top],
            {_("Communes concernées"): [row["communes"] for row in top]},
            title=_("Les dix mesures le plus souvent manquantes"),
            width=720,
        )
    # Observers read the figures but may not open a commune's diagnostic: no link for them.
    can_open = cyber_perms.can_lead_diagnostics(request.user)
    return render(
        request, "cyber/programme.html", {**figures, "charts": charts, "can_open": can_open}
    )


def _csv_response(filename: str) -> tuple[HttpResponse, SafeCsvWriter]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv_writer(response, delimiter=";")


@access(cyber_perms.can_view_cyber_programme)
def programme_csv(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate().isoformat()
    response, writer = _csv_response(f"maturite-cyber-{day}.csv")
    writer.writerow(["code INSEE", "commune", "terminé le", "score global", "niveau", "maturité"])
    for d in programme_figures(programme_for(request))["latest"]:
        writer.writerow(
            [
                d.commune.insee_code,
                d.commune.name,
                timezone.localdate(d.completed_at).isoformat(),
                str(d.overall).replace(".", ",") if d.overall is not None else "",
                d.maturity_level or "",
                d.maturity_label,
            ]
        )
    return response


@access(cyber_perms.can_view_cyber_programme)
def missing_csv(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate().isoformat()
    response, writer = _csv_response(f"mesures-manquantes-{day}.csv")
    writer.writerow(["mesure", "intitulé", "communes concernées"])
    for row in programme_figures(programme_for(request))["missing"]:
        writer.writerow([row["measure_id"], row["title"], row["communes"]])
    return response
