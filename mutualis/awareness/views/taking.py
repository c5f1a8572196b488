"""Taking a module: the catalogue, lessons section by section, exercises, the quiz, attestations."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from mutualis.accounts import perms
from mutualis.awareness import perms as awareness_perms
from mutualis.awareness import services
from mutualis.awareness.forms import VerifyForm
from mutualis.awareness.models import (
    Attestation,
    AwarenessModule,
    Campaign,
    ModuleVersion,
    Progress,
    QuizAttempt,
)
from mutualis.awareness.scoring import render_exercise_parts, score_quiz
from mutualis.core.access import access
from mutualis.core.pdf import pdf_response, render_pdf


def _catalogue():
    return AwarenessModule.objects.exclude(current_version=None).select_related("current_version")


def _my_rows(user, modules) -> list[dict]:
    """Each module with the person's progress (latest version they worked on) and attestation."""
    progress: dict[int, Progress] = {}
    rows = (
        Progress.objects.filter(user=user)
        .select_related("module_version", "attestation")
        .order_by("module_version__version")
    )
    for row in rows:
        current = progress.get(row.module_version.module_id)
        if current is None or not current.passed_at or row.passed_at:
            progress[row.module_version.module_id] = row
    return [{"module": m, "progress": progress.get(m.pk)} for m in modules]


@access(perms.is_signed_in)
def home(request: HttpRequest) -> HttpResponse:
    modules = list(_catalogue())
    user = request.user
    rows = _my_rows(user, modules) if perms.is_commune_member(user) else []
    due = []
    if perms.is_commune_member(user):
        passed = {r["module"].pk for r in rows if r["progress"] and r["progress"].passed_at}
        campaigns = (
            Campaign.objects.for_person(user, [c.pk for c in user.communes()])
            .prefetch_related("modules")
            .order_by("due_date")
        )
        for campaign in campaigns:
            left = [m for m in campaign.modules.all() if m.pk not in passed]
            due.append({"campaign": campaign, "left": left, "total": campaign.modules.count()})
    return render(
        request,
        "awareness/home.html",
        {
            "modules": modules,
            "rows": rows,
            "due": due,
            "can_take": awareness_perms.can_take_awareness_modules(user),
            "can_view_results": awareness_perms.can_view_awareness_results(user),
            "can_manage_campaigns": awareness_perms.can_manage_campaigns(user),
            "can_view_sessions": awareness_perms.can_view_onsite_sessions(user),
            "today": timezone.localdate(),
        },
    )


def _module_and_version(
    request, module_slug: str
) -> tuple[AwarenessModule, ModuleVersion, Progress | None]:
    module = get_object_or_404(_catalogue(), slug=module_slug)
    progress = None
    if perms.is_commune_member(request.user):
        progress = services.find_progress(request.user, module)
    version = progress.module_version if progress else module.current_version
    return module, version, progress


@access(perms.is_signed_in)
def module(request: HttpRequest, module_slug: str) -> HttpResponse:
    module, version, progress = _module_and_version(request, module_slug)
    steps = version.steps()
    done = set(progress.steps_done) if progress else set()
    return render(
        request,
        "awareness/module.html",
        {
            "module": module,
            "version": version,
            "content": version.content,
            "progress": progress,
            "steps": [
                {"number": n, "key": key, "kind": kind, "title": title, "done": key in done}
                for n, (key, kind, title) in enumerate(steps, start=1)
            ],
            "next_step": progress.next_step() if progress else 1,
            "can_take": awareness_perms.can_take_awareness_modules(request.user),
            "attestation": getattr(progress, "attestation", None) if progress else None,
        },
    )


def _progress_context(version: ModuleVersion, progress: Progress | None, number: int) -> dict:
    steps = version.steps()
    done = set(progress.steps_done) if progress else set()
    return {
        "step_number": number,
        "step_total": len(steps),
        "steps_done": sum(key in done for key, _k, _t in steps),
    }


@access(awareness_perms.can_take_awareness_modules)
def step(request: HttpRequest, module_slug: str, step: int) -> HttpResponse:
    module, version, progress = _module_and_version(request, module_slug)
    steps = version.steps()
    if not 1 <= step <= len(steps):
        raise Http404
    key, kind, _title = steps[step - 1]
    commune = perms.active_commune(request)
    context = {
        "module": module,
        "version": version,
        "content": version.content,
        "progress": progress,
        **_progress_context(version, progress, step),
    }
    if kind == "section":
        return _section(request, context, key, commune)
    if kind == "exercise":
        return _exercise(request, context, key.removeprefix("e:"), commune)
    return _quiz(request, context, commune)


def _section(request, context, key: str, commune) -> HttpResponse:
    version, number = context["version"], context["step_number"]
    if request.method == "POST":
        services.mark_step_done(user=request.user, commune=commune, version=version, step_key=key)
        return redirect("awareness:step", module_slug=context["module"].slug, step=number + 1)
    section = version.content.sections[int(key[1:]) - 1]
    return render(request, "awareness/section.html", {**context, "section": section})


def _parts_with_state(exercise, selected: set[str], feedback=None) -> list[dict]:
    """Message parts for the template: each clickable segment with its state and, after
    validation, its verdict and the number of its explanation."""
    verdicts, numbers = {}, {}
    if feedback:
        for verdict, spans in (
            ("found", feedback.found),
            ("missed", feedback.missed),
            ("false_alarm", feedback.false_alarms),
            ("spared", feedback.spared),
        ):
            for span in spans:
                verdicts[span.id] = verdict
    explained = [*exercise.signs, *(feedback.false_alarms if feedback else ())]
    ordered = []
    for part in render_exercise_parts(exercise):
        for segment in part.segments:
            if segment.target and segment.target in {s.id for s in explained}:
                ordered.append(segment.target)
    numbers = {target: index for index, target in enumerate(ordered, start=1)}
    return [
        {
            "name": part.name,
            "label": part.label,
            "segments": [
                {
                    "text": segment.text,
                    "target": segment.target,
                    "pressed": segment.target in selected,
                    "verdict": verdicts.get(segment.target),
                    "number": numbers.get(segment.target),
                }
                for segment in part.segments
            ],
        }
        for part in render_exercise_parts(exercise)
    ]


def _exercise(request, context, exercise_id: str, commune) -> HttpResponse:
    exercise = next(e for e in context["content"].exercises if e.id == exercise_id)
    known = {span.id for span in (*exercise.signs, *exercise.decoys)}
    selected = set(request.POST.getlist("clicked")) & known if request.method == "POST" else set()
    feedback = None
    toggled = request.POST.get("toggle", "") if request.method == "POST" else ""
    if toggled in known:
        selected ^= {toggled}  # without JavaScript, each click is a round trip
    elif request.method == "POST":
        feedback = services.submit_exercise(
            user=request.user, commune=commune, version=context["version"],
            exercise=exercise, clicked=selected,
        )  # fmt: skip
        context["progress"] = services.find_progress(request.user, context["module"])
        context.update(
            _progress_context(context["version"], context["progress"], context["step_number"])
        )
    previous = (
        context["progress"].exercise_answers.get(exercise.id) if context["progress"] else None
    )
    parts = _parts_with_state(exercise, selected, feedback)
    numbers = _marker_numbers(parts)
    return render(
        request,
        "awareness/exercise.html",
        {
            **context,
            "exercise": exercise,
            "parts": parts,
            "selected": sorted(selected),
            "toggled": toggled,
            "feedback": feedback,
            "numbers": numbers,
            "found": _numbered(feedback.found, numbers) if feedback else [],
            "missed": _numbered(feedback.missed, numbers) if feedback else [],
            "false_alarms": _numbered(feedback.false_alarms, numbers) if feedback else [],
            "previous": previous,
        },
    )


def _marker_numbers(parts) -> dict[str, int]:
    """The number of each marked span's marker in the message, by span id."""
    return {
        segment["target"]: segment["number"]
        for part in parts
        for segment in part["segments"]
        if segment["number"]
    }


def _numbered(spans, numbers: dict[str, int]) -> list[tuple[int, object]]:
    """Spans with the number of their marker in the message, in reading order."""
    return sorted(((numbers[s.id], s) for s in spans), key=lambda pair: pair[0])


def _quiz(request, context, commune) -> HttpResponse:
    content = context["content"]
    answers = (
        {q.id: request.POST.getlist(q.id) for q in content.quiz} if request.method == "POST" else {}
    )
    unanswered = [q for q in content.quiz if request.method == "POST" and not answers[q.id]]
    if request.method == "POST" and not unanswered:
        attempt, _result = services.submit_quiz(
            user=request.user, commune=commune, version=context["version"], answers=answers
        )
        return redirect(
            "awareness:quiz_result", module_slug=context["module"].slug, attempt_id=attempt.pk
        )
    return render(
        request,
        "awareness/quiz.html",
        {**context, "questions": content.quiz, "answers": answers, "unanswered": unanswered},
    )


@access(awareness_perms.can_take_awareness_modules)
def quiz_result(request: HttpRequest, module_slug: str, attempt_id: int) -> HttpResponse:
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("progress__module_version__module"),
        pk=attempt_id,
        progress__user=request.user,
        progress__module_version__module__slug=module_slug,
    )
    progress = attempt.progress
    version = progress.module_version
    result = score_quiz(version.content, attempt.answers)
    steps = version.steps()
    return render(
        request,
        "awareness/quiz_result.html",
        {
            "module": version.module,
            "version": version,
            "attempt": attempt,
            "result": result,
            "progress": progress,
            "attestation": Attestation.objects.filter(progress=progress).first(),
            "step_number": len(steps),
            "step_total": len(steps),
            "steps_done": sum(key in progress.steps_done for key, _k, _t in steps),
            "quiz_step": len(steps),
        },
    )


def _attestation_for(user, number: str) -> Attestation:
    """The attestation if the user may see it (its holder, coordinators and the referent, the
    commune's managers); 404 otherwise, so a guessed number reveals nothing."""
    attestation = (
        Attestation.objects.select_related("commune", "module_version__module", "user")
        .filter(number=number)
        .first()
    )
    if attestation is None:
        raise Http404
    if attestation.user_id == user.pk or any(
        awareness_perms.can_view_awareness_people(user, commune)
        for commune in attestation.user.communes()
    ):
        return attestation
    raise Http404


@access(perms.is_signed_in)
def attestation(request: HttpRequest, attestation_number: str) -> HttpResponse:
    attestation = _attestation_for(request.user, attestation_number)
    pdf = render_pdf(
        "awareness/attestation_pdf.html",
        {
            "attestation": attestation,
            "module": attestation.module_version,
            "issuer": _document_issuer(attestation.commune),
        },
    )
    return pdf_response(pdf, f"attestation-{attestation.number}.pdf")


def _document_issuer(commune):
    """The intercommunality that issues attestations, from the file of the commune's programme."""
    from mutualis.programme.models import Programme

    programme = Programme.objects.for_commune(commune)
    return programme.spec.document_issuer if programme else None


@access(perms.is_signed_in)
def verify(request: HttpRequest) -> HttpResponse:
    """Check an attestation from its number and code (both printed on it)."""
    form = VerifyForm(request.GET or None)
    found, checked = None, False
    if form.is_valid():
        checked = True
        found = (
            Attestation.objects.select_related("commune", "module_version")
            .filter(
                number=form.cleaned_data["number"].strip().upper(),
                verification_code=form.cleaned_data["code"].strip().upper(),
            )
            .first()
        )
    return render(
        request, "awareness/verify.html", {"form": form, "found": found, "checked": checked}
    )
