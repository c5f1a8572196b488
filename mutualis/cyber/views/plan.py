"""Remediation follow-up: one measure's status, owner, due date, notes, evidence and history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.models import AuditEvent
from mutualis.core.uploads import UploadError, serve_protected_file
from mutualis.cyber import perms as cyber_perms
from mutualis.cyber.forms import PlanMeasureForm
from mutualis.cyber.lookups import get_evidence, get_plan_measure
from mutualis.cyber.referential import ACTOR_LABELS, COST_LABELS, EFFORT_LABELS
from mutualis.cyber.services import CyberRefused, add_evidence, update_plan_measure


@access(perms.is_signed_in)
def plan_measure(request: HttpRequest, plan_measure_id: int) -> HttpResponse:
    measure = get_plan_measure(request.user, plan_measure_id)
    commune = measure.diagnostic.commune
    can_follow = cyber_perms.can_follow_plan(request.user, commune)
    initial = {f: getattr(measure, f) for f in ("status", "justification", "owner", "notes")}
    initial["due_date"] = measure.due_date
    form = PlanMeasureForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if not can_follow:
            raise PermissionDenied
        changed = _follow_up(measure, form, request.user) if form.is_valid() else None
        if changed is not None:
            if changed:
                messages.success(
                    request, _("La mesure %(id)s est mise à jour.") % {"id": measure.measure_id}
                )
            else:
                messages.info(request, _("Rien n'a changé."))
            return redirect("cyber:plan_measure", plan_measure_id=measure.pk)
    return render(
        request,
        "cyber/plan_measure.html",
        _measure_context(measure, form, can_follow),
        status=400 if request.method == "POST" else 200,
    )


def _follow_up(measure, form, by) -> list[str] | None:
    """Save the follow-up form: the fields changed, or None when refused (errors on the form)."""
    data = form.cleaned_data
    try:
        # One transaction: an evidence that cannot be stored leaves the measure as it was.
        with transaction.atomic():
            changed = update_plan_measure(
                measure=measure,
                by=by,
                status=data["status"],
                justification=data["justification"],
                owner=data["owner"],
                due_date=data["due_date"],
                notes=data["notes"],
            )
            if data.get("evidence"):
                add_evidence(measure=measure, upload=data["evidence"], by=by)
                changed.append("evidence")
    except UploadError as refused:
        measure.refresh_from_db()
        form.add_error("evidence", refused)
        return None
    except CyberRefused as refused:
        form.add_error(None, str(refused))
        return None
    return changed


def _measure_context(measure, form, can_follow: bool) -> dict:
    """The measure's definition in the referential, its evidence and its history."""
    referential = measure.diagnostic.referential
    definition = referential.measure(measure.measure_id)
    history = AuditEvent.objects.filter(
        object_type="cyber.planmeasure", object_id=str(measure.pk)
    ).select_related("actor")
    return {
        "measure": measure,
        "diagnostic": measure.diagnostic,
        "commune": measure.diagnostic.commune,
        "definition": definition,
        "how": definition.how(measure.level),
        "theme": referential.theme(definition.theme).title,
        "effort": EFFORT_LABELS[definition.effort],
        "cost": COST_LABELS[definition.cost],
        "actors": ", ".join(ACTOR_LABELS[a] for a in definition.actors),
        "form": form,
        "can_follow": can_follow and measure.diagnostic.is_completed,
        "evidence_files": list(measure.evidence_files.select_related("uploaded_by")),
        "history": history,
    }


@access(perms.is_signed_in)
def evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    item = get_evidence(request.user, evidence_id)
    try:
        return serve_protected_file(
            request, item.file, filename=item.original_name, content_type=item.content_type
        )
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
