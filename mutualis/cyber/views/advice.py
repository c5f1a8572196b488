"""The cybersecurity entry page, a commune's security page, and the first advice (base offer)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.submissions import FIELD, new_token, submitted_once
from mutualis.cyber import perms as cyber_perms
from mutualis.cyber.forms import question_sections
from mutualis.cyber.lookups import get_first_advice, get_security_commune
from mutualis.cyber.models import Diagnostic, DiagnosticStatus, FirstAdviceRecord, PlanMeasure
from mutualis.cyber.referential import ACTOR_LABELS, COST_LABELS, EFFORT_LABELS
from mutualis.cyber.scoring import AnswerError
from mutualis.cyber.services import (
    CyberRefused,
    current_referential_version,
    in_advanced_offer,
    record_first_advice,
)


@access(cyber_perms.uses_cyber)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    commune = perms.active_commune(request)
    if commune is not None and cyber_perms.can_view_commune_security(user, commune):
        return redirect("cyber:commune", insee_code=commune.insee_code)
    if cyber_perms.can_view_cyber_programme(user):
        return redirect("cyber:programme")
    return render(request, "cyber/home.html", {"commune": commune})


@access(perms.is_signed_in)
def commune(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = get_security_commune(request.user, insee_code)
    advice_history = list(
        FirstAdviceRecord.objects.filter(commune=commune).select_related("taken_by")[:20]
    )
    diagnostics = list(
        Diagnostic.objects.filter(commune=commune).select_related("referential_version")
    )
    latest = next((d for d in diagnostics if d.is_completed), None)
    plan = None
    if latest is not None:
        measures = list(PlanMeasure.objects.filter(diagnostic=latest))
        plan = {
            "total": len(measures),
            "closed": sum(1 for m in measures if m.is_closed),
            "overdue": sum(1 for m in measures if m.is_overdue()),
            "checkin": latest.checkin_due_on(),
        }
    return render(
        request,
        "cyber/commune.html",
        {
            "commune": commune,
            "advice_history": advice_history,
            "latest_advice": advice_history[0] if advice_history else None,
            "diagnostics": diagnostics,
            "latest": latest,
            "plan": plan,
            "has_draft": any(d.status == DiagnosticStatus.DRAFT for d in diagnostics),
            "in_advanced_offer": in_advanced_offer(commune),
            "can_take_advice": cyber_perms.can_take_first_advice(request.user, commune),
            "can_lead": cyber_perms.can_lead_diagnostics(request.user),
        },
    )


@access(perms.is_signed_in)
@submitted_once
def first_advice_new(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = get_security_commune(request.user, insee_code)
    if not cyber_perms.can_take_first_advice(request.user, commune):
        raise PermissionDenied
    try:
        referential = current_referential_version().referential
    except CyberRefused as refused:
        messages.error(request, str(refused))
        return redirect("cyber:commune", insee_code=commune.insee_code)
    answers = {}
    error = ""
    if request.method == "POST":
        answers = {k: v for k, v in request.POST.items() if k not in {"csrfmiddlewaretoken", FIELD}}
        try:
            record = record_first_advice(commune=commune, answers=answers, by=request.user)
        except (CyberRefused, AnswerError) as refused:
            error = str(refused)
        else:
            messages.success(request, _("Votre autodiagnostic est enregistré."))
            return redirect("cyber:first_advice", advice_id=record.pk)
    questions = referential.first_advice_questions()
    return render(
        request,
        "cyber/first_advice_form.html",
        {
            "commune": commune,
            "referential": referential,
            "sections": question_sections(
                [(None, questions)],
                answers,
                {q.id for q in questions if q.id not in answers} if error else set(),
            ),
            "error": error,
            "required": True,
            "submission": new_token(),
        },
        status=400 if error else 200,
    )


@access(perms.is_signed_in)
def first_advice_detail(request: HttpRequest, advice_id: int) -> HttpResponse:
    record = get_first_advice(request.user, advice_id)
    referential = record.referential_version.referential
    advice = record.result()
    top = [
        {
            "item": item,
            "measure": referential.measure(item.measure_id),
            "effort": EFFORT_LABELS[referential.measure(item.measure_id).effort],
            "cost": COST_LABELS[referential.measure(item.measure_id).cost],
            "actors": ", ".join(
                ACTOR_LABELS[a] for a in referential.measure(item.measure_id).actors
            ),
        }
        for item in advice.top_measures
    ]
    return render(
        request,
        "cyber/first_advice.html",
        {
            "record": record,
            "commune": record.commune,
            "advice": advice,
            "top": top,
            "themes_not_covered": [referential.theme(t).title for t in advice.themes_not_covered],
            "in_advanced_offer": in_advanced_offer(record.commune),
            "theme_titles": {t.id: t.title for t in referential.themes},
        },
    )
