"""Awareness in the HTTP API: the catalogue, the caller's progress, a commune's results.

Same rules as the pages: a commune's figures for staff and its managers (another commune answers
404), named results only for coordinators, the referent and the commune's managers.
"""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema

from mutualis.accounts import perms
from mutualis.awareness import perms as awareness_perms
from mutualis.awareness import stats
from mutualis.awareness.models import AwarenessModule, Progress
from mutualis.awareness.services import people_of
from mutualis.core.api_auth import api_access
from mutualis.core.collation import french
from mutualis.programme.selection import programme_for

router = Router(tags=["sensibilisation"])


class ModuleOut(Schema):
    slug: str
    title: str
    version: int
    summary: str
    duration_minutes: int
    pass_mark: int
    sections: int
    exercises: int
    questions: int


class ProgressOut(Schema):
    module: str
    version: int
    commune: str
    percent: int
    quiz_attempts: int
    best_percentage: int | None
    passed_at: datetime | None
    attestation: str | None


class CommuneFiguresOut(Schema):
    insee_code: str
    commune: str
    people: int
    trained: int
    trained_rate: int | None
    passes: int
    average_score: int | None
    campaign_completion: int | None
    sessions_held: int
    present: int
    trap_attempts: int  # « Repérez le piège »: each person's latest try at each exercise
    traps_found_share: int | None  # % of the suspicious parts found


class ModuleFiguresOut(Schema):
    module: str
    started: int
    passes: int
    average_score: int | None
    onsite: int


class PersonResultOut(Schema):
    username: str
    name: str
    passed: list[str]
    scores: dict[str, int | None]


class CommuneResultsOut(Schema):
    figures: CommuneFiguresOut
    modules: list[ModuleFiguresOut]
    people: list[PersonResultOut] | None


def _figures_out(fig: stats.CommuneFigures) -> dict:
    return {
        "insee_code": fig.commune.insee_code,
        "commune": fig.commune.name,
        "people": fig.people,
        "trained": fig.trained,
        "trained_rate": fig.trained_rate,
        "passes": fig.passes,
        "average_score": fig.average_score,
        "campaign_completion": fig.campaign_completion,
        "sessions_held": fig.sessions_held,
        "present": fig.present,
        "trap_attempts": fig.traps.attempts,
        "traps_found_share": fig.traps.share_found,
    }


@router.get("/modules", response=list[ModuleOut])
@api_access(perms.is_signed_in)
def list_modules(request):
    """The modules of the catalogue, in their current version."""
    rows = []
    modules = AwarenessModule.objects.exclude(current_version=None).select_related(
        "current_version"
    )
    for module in modules:
        version = module.current_version
        content = version.content
        rows.append(
            {
                "slug": module.slug,
                "title": version.title,
                "version": version.version,
                "summary": version.summary,
                "duration_minutes": version.duration_minutes,
                "pass_mark": version.pass_mark,
                "sections": len(content.sections),
                "exercises": len(content.exercises),
                "questions": len(content.quiz),
            }
        )
    return rows


@router.get("/progress", response=list[ProgressOut])
@api_access(awareness_perms.can_take_awareness_modules)
def my_progress(request):
    """The caller's own progress on every module version they started."""
    rows = (
        Progress.objects.filter(user=request.auth)
        .select_related("module_version__module", "commune", "attestation")
        .order_by("module_version__module__order", "module_version__version")
    )
    return [
        {
            "module": row.module_version.module.slug,
            "version": row.module_version.version,
            "commune": row.commune.insee_code,
            "percent": row.percent(),
            "quiz_attempts": row.quiz_attempts,
            "best_percentage": row.best_percentage,
            "passed_at": row.passed_at,
            "attestation": getattr(row, "attestation", None) and row.attestation.number,
        }
        for row in rows
    ]


@router.get("/communes", response=list[CommuneFiguresOut])
@api_access(awareness_perms.can_view_awareness_results)
def list_commune_results(request):
    """Figures per commune: every commune for staff, their own for a commune manager."""
    user = request.auth
    if perms.is_staff_member(user):
        communes = stats.programme_communes(programme_for(request, user=request.auth))
    else:
        communes = awareness_perms.managed_communes(user).order_by(french("name"))
    return [_figures_out(fig) for fig in stats.figures(communes).communes]


@router.get("/communes/{insee_code}", response=CommuneResultsOut)
@api_access(awareness_perms.can_view_awareness_results)
def commune_results(request, insee_code: str):
    """A commune's figures, per module, and (for those allowed) each person's results."""
    user = request.auth
    commune = perms.get_commune_for_user(user, insee_code)
    if not (perms.is_staff_member(user) or perms.can_manage_commune(user, commune)):
        raise Http404
    result = stats.figures([commune])
    people = None
    if awareness_perms.can_view_awareness_people(user, commune):
        modules = {m.module.pk: m.module.slug for m in result.modules}
        people = []
        for row in stats.people_rows(commune, people_of(commune)):
            passed = sorted(modules[mid] for mid in modules if row.passed(mid))
            scores = {
                modules[mid]: p.best_percentage for mid, p in row.progress.items() if mid in modules
            }
            people.append(
                {
                    "username": row.user.username,
                    "name": str(row.user),
                    "passed": passed,
                    "scores": scores,
                }
            )
    return {
        "figures": _figures_out(result.communes[0]),
        "modules": [
            {
                "module": m.module.slug,
                "started": m.started,
                "passes": m.passes,
                "average_score": m.average_score,
                "onsite": m.onsite,
            }
            for m in result.modules
        ],
        "people": people,
    }
