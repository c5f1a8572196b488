"""Cybersecurity in the HTTP API: diagnostics summaries, a plan, the latest first advice.
Same rules as the pages: another commune's records answer 404."""

from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema

from mutualis.accounts import perms
from mutualis.core.api_auth import api_access
from mutualis.cyber.lookups import get_diagnostic, get_security_commune
from mutualis.cyber.models import Diagnostic, FirstAdviceRecord

router = Router(tags=["cybersécurité"])


class ThemeScoreOut(Schema):
    theme: str
    title: str
    score: Decimal | None


class DiagnosticOut(Schema):
    id: int
    insee_code: str
    commune: str
    status: str
    referential_version: str
    started_at: str
    completed_at: str | None
    overall: Decimal | None  # None until the diagnostic is completed
    maturity_level: int | None
    maturity_label: str
    answered: int  # « en cours : 24 réponses sur 52 »
    questions: int
    dont_know: int  # « Je ne sais pas », counted as not in place
    themes: list[ThemeScoreOut]


class PlanMeasureOut(Schema):
    position: int
    measure_id: str
    title: str
    theme: str
    level: int
    is_priority: bool
    status: str | None
    owner: str
    due_date: str | None
    overdue: bool


class FirstAdviceOut(Schema):
    id: int
    insee_code: str
    taken_at: str
    referential_version: str
    score: Decimal | None
    dont_know: int  # « Je ne sais pas », counted as not in place
    top_measures: list[str]


def _summary(diagnostic: Diagnostic) -> dict:
    """A diagnostic in progress shows how far it is, never a score or a level."""
    result = diagnostic.result()
    scored = diagnostic.is_completed
    return {
        "id": diagnostic.pk,
        "insee_code": diagnostic.commune.insee_code,
        "commune": diagnostic.commune.name,
        "status": diagnostic.status,
        "referential_version": diagnostic.referential_version.version,
        "started_at": diagnostic.started_at.isoformat(),
        "completed_at": diagnostic.completed_at.isoformat() if diagnostic.completed_at else None,
        "overall": result.overall if scored else None,
        "maturity_level": result.maturity.level if scored and result.maturity else None,
        "maturity_label": result.maturity.label if scored and result.maturity else "",
        "answered": result.answered,
        "questions": result.questions,
        "dont_know": result.dont_know,
        "themes": [
            {"theme": t.theme_id, "title": t.title, "score": t.score if scored else None}
            for t in result.themes
        ],
    }


@router.get("/communes/{insee_code}/diagnostics", response=list[DiagnosticOut])
@api_access(perms.is_signed_in)
def list_diagnostics(request, insee_code: str):
    """A commune's diagnostics, newest first, with their scores per theme."""
    commune = get_security_commune(request.auth, insee_code)
    diagnostics = Diagnostic.objects.filter(commune=commune).select_related(
        "commune", "referential_version"
    )
    return [_summary(d) for d in diagnostics]


@router.get("/diagnostics/{diagnostic_id}", response=DiagnosticOut)
@api_access(perms.is_signed_in)
def get_diagnostic_summary(request, diagnostic_id: int):
    return _summary(get_diagnostic(request.auth, diagnostic_id))


@router.get("/diagnostics/{diagnostic_id}/plan", response=list[PlanMeasureOut])
@api_access(perms.is_signed_in)
def get_plan(request, diagnostic_id: int):
    """The remediation plan in order, with each measure's follow-up once the diagnostic is done."""
    diagnostic = get_diagnostic(request.auth, diagnostic_id)
    follow = {m.measure_id: m for m in diagnostic.measures.all()}
    rows = []
    for item in diagnostic.result().plan:
        m = follow.get(item.measure_id)
        rows.append(
            {
                "position": item.position,
                "measure_id": item.measure_id,
                "title": item.title,
                "theme": item.theme_id,
                "level": item.level,
                "is_priority": item.is_priority,
                "status": m.status if m else None,
                "owner": m.owner if m else "",
                "due_date": m.due_date.isoformat() if m and m.due_date else None,
                "overdue": bool(m and m.is_overdue()),
            }
        )
    return rows


@router.get("/communes/{insee_code}/first-advice", response=FirstAdviceOut)
@api_access(perms.is_signed_in)
def latest_first_advice(request, insee_code: str):
    """The commune's latest self-assessment and its top measures (404 if none)."""
    commune = get_security_commune(request.auth, insee_code)
    record = (
        FirstAdviceRecord.objects.filter(commune=commune)
        .select_related("referential_version")
        .first()
    )
    if record is None:
        raise Http404
    advice = record.result()
    return {
        "id": record.pk,
        "insee_code": commune.insee_code,
        "taken_at": record.taken_at.isoformat(),
        "referential_version": record.referential_version.version,
        "score": advice.score,
        "dont_know": advice.dont_know,
        "top_measures": [item.measure_id for item in advice.top_measures],
    }
