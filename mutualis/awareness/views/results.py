"""Awareness dashboards: figures per commune, per module and over time, with CSV exports.

Staff see every commune; a commune manager sees their own commune and its people, and about the
other communes only a whole that cannot reveal one of them (`stats.comparison_for`).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.awareness import perms as awareness_perms
from mutualis.awareness import stats
from mutualis.awareness.models import OnsiteSession
from mutualis.awareness.services import people_of
from mutualis.core.access import access
from mutualis.core.charts import line_chart
from mutualis.core.collation import french
from mutualis.core.exports import SafeCsvWriter, csv_writer
from mutualis.programme.selection import programme_for
from mutualis.territory.models import Commune


def _chart(result: stats.Figures, subject: str):
    return line_chart(
        result.months,
        {_("En ligne"): result.online_by_month, _("En présentiel"): result.onsite_by_month},
        title=_("Modules réussis en ligne et présences en session, par mois — %(s)s")
        % {"s": subject},
        width=760,
    )


def _month_rows(result: stats.Figures) -> list[dict]:
    return [
        {"month": month, "online": online, "onsite": onsite, "score": score}
        for month, online, onsite, score in zip(
            result.months,
            result.online_by_month,
            result.onsite_by_month,
            result.score_by_month,
            strict=True,
        )
    ]


def _commune_for(user, insee_code: str) -> Commune:
    """The commune if the user may see its awareness figures (staff, its managers); else 404."""
    commune = perms.get_commune_for_user(user, insee_code)
    if not (perms.is_staff_member(user) or perms.can_manage_commune(user, commune)):
        raise Http404
    return commune


@access(awareness_perms.can_view_awareness_results)
def overview(request: HttpRequest) -> HttpResponse:
    if not perms.is_staff_member(request.user):
        commune = perms.active_commune(request)
        if commune is None or not perms.can_manage_commune(request.user, commune):
            commune = (
                awareness_perms.managed_communes(request.user).order_by(french("name")).first()
            )
        return redirect("awareness:commune_results", insee_code=commune.insee_code)
    result = stats.figures(stats.programme_communes(programme_for(request)))
    return render(
        request,
        "awareness/results.html",
        {
            "result": result,
            "chart": _chart(result, _("toutes les communes")),
            "months": _month_rows(result),
        },
    )


def _csv_response(filename: str) -> tuple[HttpResponse, SafeCsvWriter]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet software reads the file as UTF-8
    return response, csv_writer(response, delimiter=";")


@access(awareness_perms.can_view_awareness_results)
def overview_csv(request: HttpRequest) -> HttpResponse:
    if perms.is_staff_member(request.user):
        communes = stats.programme_communes(programme_for(request))
    else:
        communes = awareness_perms.managed_communes(request.user).order_by(french("name"))
    result = stats.figures(communes)
    response, writer = _csv_response(
        f"sensibilisation-communes-{timezone.localdate():%Y-%m-%d}.csv"
    )
    writer.writerow(
        [
            _("Code INSEE"), _("Commune"), _("Personnes"), _("Formées"), _("Part formée (%)"),
            _("Modules réussis"), _("Score moyen (%)"), _("Campagnes : avancement (%)"),
            _("Sessions en présentiel"), _("Présences"),
        ]
    )  # fmt: skip
    for fig in result.communes:
        writer.writerow(
            [
                fig.commune.insee_code, fig.commune.name, fig.people, fig.trained,
                _blank(fig.trained_rate), fig.passes, _blank(fig.average_score),
                _blank(fig.campaign_completion), fig.sessions_held, fig.present,
            ]
        )  # fmt: skip
    return response


def _blank(value):
    return "" if value is None else value


@access(awareness_perms.can_view_awareness_results)
def commune_results(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune_for(request.user, insee_code)
    result = stats.figures([commune])
    can_see_people = awareness_perms.can_view_awareness_people(request.user, commune)
    people = stats.people_rows(commune, people_of(commune)) if can_see_people else []
    modules = [m.module for m in result.modules]
    sessions = OnsiteSession.objects.filter(commune=commune).order_by("-starts_at")[:20]
    return render(
        request,
        "awareness/commune_results.html",
        {
            "commune": commune,
            "result": result,
            "fig": result.communes[0],
            "chart": _chart(result, commune.name),
            "months": _month_rows(result),
            "modules": modules,
            "people": [
                {"user": row.user, "cells": [_cell(row, m) for m in modules]} for row in people
            ],
            "can_see_people": can_see_people,
            "comparison": stats.comparison_for(commune),
            "sessions": sessions,
        },
    )


def _cell(row: stats.PersonRow, module) -> dict:
    progress = row.progress.get(module.pk)
    if progress and progress.passed_at:
        return {"state": "passed", "score": progress.best_percentage, "onsite": False}
    if module.pk in row.onsite:
        return {"state": "passed", "score": None, "onsite": True}
    if progress:
        return {"state": "started", "percent": progress.percent(), "onsite": False}
    return {"state": "none"}


@access(awareness_perms.can_view_awareness_results)
def commune_results_csv(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = _commune_for(request.user, insee_code)
    result = stats.figures([commune])
    modules = [m.module for m in result.modules]
    response, writer = _csv_response(
        f"sensibilisation-{commune.insee_code}-{timezone.localdate():%Y-%m-%d}.csv"
    )
    if awareness_perms.can_view_awareness_people(request.user, commune):
        writer.writerow([_("Nom"), _("Identifiant"), *[m.title for m in modules]])
        for row in stats.people_rows(commune, people_of(commune)):
            cells = []
            for module in modules:
                cell = _cell(row, module)
                if cell["state"] == "passed":
                    cells.append(_("présentiel") if cell["onsite"] else f"{cell['score']} %")
                elif cell["state"] == "started":
                    cells.append(_("en cours (%(p)s %%)") % {"p": cell["percent"]})
                else:
                    cells.append("")
            writer.writerow([str(row.user), row.user.username, *cells])
        return response
    writer.writerow(
        [_("Module"), _("Commencés"), _("Réussis"), _("Score moyen (%)"), _("Présentiel")]
    )
    for fig in result.modules:
        writer.writerow(
            [fig.module.title, fig.started, fig.passes, _blank(fig.average_score), fig.onsite]
        )
    return response
