"""Taking a module: steps, exercises, the quiz and the attestation it earns."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts.models import User
from mutualis.awareness import content
from mutualis.awareness.models import (
    Attestation,
    AwarenessModule,
    ModuleVersion,
    Progress,
    QuizAttempt,
)
from mutualis.awareness.scoring import ExerciseFeedback, QuizResult, check_clicks, score_quiz
from mutualis.awareness.services._common import AwarenessError
from mutualis.core import audit
from mutualis.territory.models import Commune

# --- Taking a module -------------------------------------------------------------------------


def find_progress(user: User, module: AwarenessModule) -> Progress | None:
    """The progress a person continues: on the current version, else an unfinished older one."""
    rows = list(
        Progress.objects.filter(user=user, module_version__module=module)
        .select_related("module_version__module")
        .order_by("-module_version__version")
    )
    for row in rows:
        if row.module_version_id == module.current_version_id:
            return row
    return next((row for row in rows if row.passed_at is None), None)


def _progress_for(*, user: User, commune: Commune, version: ModuleVersion) -> Progress:
    progress, _created = Progress.objects.select_for_update().get_or_create(
        user=user, module_version=version, defaults={"commune": commune}
    )
    return progress


def mark_step_done(
    *, user: User, commune: Commune, version: ModuleVersion, step_key: str
) -> Progress:
    """Record that a lesson section (or any step) was done; saved at once, to resume later."""
    if step_key not in {key for key, _kind, _title in version.steps()}:
        raise AwarenessError(_("Cette étape n'existe pas dans le module."))
    with transaction.atomic():
        progress = _progress_for(user=user, commune=commune, version=version)
        if step_key not in progress.steps_done:
            progress.steps_done = [*progress.steps_done, step_key]
        progress.updated_at = timezone.now()
        progress.save(update_fields=["steps_done", "updated_at"])
    return progress


def submit_exercise(
    *, user: User, commune: Commune, version: ModuleVersion, exercise: content.Exercise,
    clicked: Iterable[str],
) -> ExerciseFeedback:  # fmt: skip
    """Check the agent's clicks, keep them with the progress and mark the exercise done."""
    known = {span.id for span in (*exercise.signs, *exercise.decoys)}
    clicked = sorted(set(clicked) & known)
    feedback = check_clicks(exercise, clicked)
    key = f"e:{exercise.id}"
    with transaction.atomic():
        progress = _progress_for(user=user, commune=commune, version=version)
        progress.exercise_answers = {
            **progress.exercise_answers,
            exercise.id: {
                "clicked": clicked,
                "found": len(feedback.found),
                "signs": feedback.total_signs,
                "false_alarms": len(feedback.false_alarms),
            },
        }
        if key not in progress.steps_done:
            progress.steps_done = [*progress.steps_done, key]
        progress.updated_at = timezone.now()
        progress.save(update_fields=["exercise_answers", "steps_done", "updated_at"])
    return feedback


def submit_quiz(
    *, user: User, commune: Commune, version: ModuleVersion, answers: dict[str, list[str]]
) -> tuple[QuizAttempt, QuizResult]:
    """Score a quiz submission, keep it, and issue the attestation on the first pass."""
    result = score_quiz(version.content, answers)
    now = timezone.now()
    with transaction.atomic():
        progress = _progress_for(user=user, commune=commune, version=version)
        attempt = QuizAttempt.objects.create(
            progress=progress,
            submitted_at=now,
            answers={key: sorted(values) for key, values in answers.items()},
            correct_count=result.correct_count,
            total=result.total,
            percentage=result.percentage,
            passed=result.passed,
        )
        progress.quiz_attempts += 1
        progress.best_percentage = max(progress.best_percentage or 0, result.percentage)
        if result.passed and "quiz" not in progress.steps_done:
            progress.steps_done = [*progress.steps_done, "quiz"]
        progress.updated_at = now
        fields = ["quiz_attempts", "best_percentage", "steps_done", "updated_at"]
        if result.passed and progress.passed_at is None:
            progress.passed_at = now
            fields.append("passed_at")
        progress.save(update_fields=fields)
        audit.record(
            action="awareness.quiz_submitted",
            obj=attempt,
            by=user,
            summary=(
                _("%(user)s : quiz « %(title)s » (v%(version)s), %(percentage)s %%, réussi")
                if result.passed
                else _(
                    "%(user)s : quiz « %(title)s » (v%(version)s), %(percentage)s %%, non réussi"
                )
            )
            % {
                "user": user,
                "title": version.title,
                "version": version.version,
                "percentage": result.percentage,
            },
            commune_insee=progress.commune.insee_code,
        )
        if result.passed and not Attestation.objects.filter(progress=progress).exists():
            _issue_attestation(progress=progress, percentage=result.percentage, at=now)
    return attempt, result


def _issue_attestation(*, progress: Progress, percentage: int, at: datetime) -> Attestation:
    attestation = Attestation.objects.create(
        number=f"tmp-{secrets.token_hex(8)}",
        verification_code=secrets.token_hex(5).upper(),
        progress=progress,
        user=progress.user,
        full_name=progress.user.get_full_name() or progress.user.username,
        commune=progress.commune,
        module_version=progress.module_version,
        percentage=percentage,
        issued_at=at,
    )
    # Numbered from the primary key: unique without a counter to lock, and never reused.
    attestation.number = f"SENS-{timezone.localdate(at).year}-{attestation.pk:06d}"
    attestation.save(update_fields=["number"])
    audit.record(
        action="awareness.attestation_issued",
        obj=attestation,
        by=progress.user,
        summary=_("Attestation %(number)s : %(name)s, « %(module)s »")
        % {
            "number": attestation.number,
            "name": attestation.full_name,
            "module": progress.module_version.title,
        },
        commune_insee=progress.commune.insee_code,
    )
    return attestation
