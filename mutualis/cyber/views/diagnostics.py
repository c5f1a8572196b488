"""Diagnostics: start, answer and save, complete, cancel; the result page, PDF report and CSV."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.core.exports import csv_writer
from mutualis.core.pdf import pdf_response, render_pdf
from mutualis.core.submissions import submitted_once
from mutualis.cyber import perms as cyber_perms
from mutualis.cyber.forms import CancelDiagnosticForm, StartDiagnosticForm, question_sections
from mutualis.cyber.lookups import get_diagnostic, get_security_commune
from mutualis.cyber.reports import diagnostic_context
from mutualis.cyber.scoring import AnswerError
from mutualis.cyber.services import (
    CyberRefused,
    cancel_diagnostic,
    complete_diagnostic,
    in_advanced_offer,
    save_answers,
    start_diagnostic,
    unanswered_questions,
)


@access(cyber_perms.can_lead_diagnostics)
@submitted_once
def diagnostic_new(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = get_security_commune(request.user, insee_code)
    form = StartDiagnosticForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic = start_diagnostic(
                commune=commune, by=request.user, reason=form.cleaned_data["reason"]
            )
        except CyberRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Le diagnostic est commencé."))
            return redirect("cyber:questionnaire", diagnostic_id=diagnostic.pk)
    return render(
        request,
        "cyber/diagnostic_new.html",
        {"commune": commune, "form": form, "in_advanced_offer": in_advanced_offer(commune)},
    )


@access(perms.is_signed_in)
def diagnostic(request: HttpRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic = get_diagnostic(request.user, diagnostic_id)
    context = diagnostic_context(diagnostic)
    context.update(
        can_lead=cyber_perms.can_lead_diagnostics(request.user),
        can_follow=cyber_perms.can_follow_plan(request.user, diagnostic.commune),
        unanswered=len(unanswered_questions(diagnostic.referential, diagnostic.answers)),
        cancel_form=CancelDiagnosticForm(),
    )
    return render(request, "cyber/diagnostic.html", context)


@access(perms.is_signed_in)
def questionnaire(request: HttpRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic = get_diagnostic(request.user, diagnostic_id)
    if not cyber_perms.can_lead_diagnostics(request.user):
        raise PermissionDenied
    if not diagnostic.is_draft:
        return redirect("cyber:diagnostic", diagnostic_id=diagnostic.pk)
    referential = diagnostic.referential
    error, missing = "", set()
    if request.method == "POST":
        try:
            diagnostic = save_answers(diagnostic=diagnostic, answers=request.POST, by=request.user)
            if request.POST.get("action") == "complete":
                complete_diagnostic(diagnostic=diagnostic, by=request.user)
                messages.success(request, _("Le diagnostic est terminé : voici son plan."))
                return redirect("cyber:diagnostic", diagnostic_id=diagnostic.pk)
            messages.success(request, _("Les réponses sont enregistrées."))
            return redirect("cyber:questionnaire", diagnostic_id=diagnostic.pk)
        except (CyberRefused, AnswerError) as refused:
            error = str(refused)
            diagnostic.refresh_from_db()
            missing = {q.id for q in unanswered_questions(referential, diagnostic.answers)}
    return render(
        request,
        "cyber/questionnaire.html",
        _questionnaire_context(diagnostic, referential, error=error, missing=missing),
        status=400 if error else 200,
    )


def _questionnaire_context(diagnostic, referential, *, error: str, missing: set) -> dict:
    """The questions the answers so far make visible, by theme, and how many are answered."""
    visible = referential.visible_questions(diagnostic.answers)
    sections = [
        (theme, tuple(q for q in visible if q.theme == theme.id)) for theme in referential.themes
    ]
    return {
        "diagnostic": diagnostic,
        "commune": diagnostic.commune,
        "referential": referential,
        "sections": question_sections(
            [(t, qs) for t, qs in sections if qs], diagnostic.answers, missing
        ),
        "answered": sum(1 for q in visible if q.id in diagnostic.answers),
        "visible": len(visible),
        "error": error,
        "missing": missing,
        "required": False,
    }


@access(cyber_perms.can_lead_diagnostics)
def diagnostic_cancel(request: HttpRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic = get_diagnostic(request.user, diagnostic_id)
    if request.method != "POST":
        return redirect("cyber:diagnostic", diagnostic_id=diagnostic.pk)
    form = CancelDiagnosticForm(request.POST)
    try:
        if not form.is_valid():
            raise CyberRefused(_("Indiquez le motif de l'annulation."))
        cancel_diagnostic(
            diagnostic=diagnostic, by=request.user, reason=form.cleaned_data["reason"]
        )
    except CyberRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Le diagnostic est annulé ; il reste dans l'historique."))
    return redirect("cyber:diagnostic", diagnostic_id=diagnostic.pk)


@access(perms.is_signed_in)
def report_pdf(request: HttpRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic = get_diagnostic(request.user, diagnostic_id)
    if not diagnostic.is_completed:
        raise Http404
    context = diagnostic_context(diagnostic)
    context["printed_on"] = timezone.localdate()
    pdf = render_pdf("cyber/report_pdf.html", context)
    day = timezone.localdate(diagnostic.completed_at).isoformat()
    return pdf_response(pdf, f"diagnostic-cyber-{diagnostic.commune.insee_code}-{day}.pdf")


@access(perms.is_signed_in)
def plan_csv(request: HttpRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic = get_diagnostic(request.user, diagnostic_id)
    if not diagnostic.is_completed:
        raise Http404
    context = diagnostic_context(diagnostic)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate(diagnostic.completed_at).isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="plan-cyber-{diagnostic.commune.insee_code}-{day}.csv"'
    )
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(PLAN_CSV_HEADER)
    writer.writerows(_plan_csv_row(row) for row in context["rows"])
    return response


PLAN_CSV_HEADER = [
    "rang",
    "prioritaire",
    "mesure",
    "intitulé",
    "thème",
    "niveau",
    "état",
    "responsable",
    "échéance",
    "en retard",
    "justification",
]


def _plan_csv_row(row) -> list:
    follow = row.follow_up
    return [
        row.item.position,
        "oui" if row.item.is_priority else "non",
        row.item.measure_id,
        row.item.title,
        row.theme_title,
        row.item.level_label,
        follow.get_status_display() if follow else "",
        follow.owner if follow else "",
        follow.due_date.isoformat() if follow and follow.due_date else "",
        "oui" if row.overdue else "non",
        follow.justification if follow else "",
    ]
