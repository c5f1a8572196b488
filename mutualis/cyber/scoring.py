"""Score a commune's answers against a diagnostic referential: theme and overall scores, maturity
level, the ordered remediation plan, the short first advice, and the change between two diagnostics.

Everything here is a pure function of a ``Referential`` and a mapping ``question id → answer id``.

Scores are ``Decimal`` percentages from 0 to 100 rounded half-up to one decimal place, or ``None``
where nothing was counted. A question counts when it is visible (a follow-up only shows after one
of its listed answers), scored (weight > 0) and answered; it adds ``weight × score`` to the numerator and ``weight × 3``
to the denominator. « Je ne sais pas » (``dont_know``) counts as not in place, as MonAideCyber
does: score 0, and it calls the measure of the question's lowest answer, so answering it never
raises a score. The theme score is that weighted average over the theme's questions, the overall
score the same average over all questions (so a theme weighs by the weight of its counted
questions). Unanswered questions count neither in the numerator nor in the denominator (a
diagnostic in progress shows no score, `Diagnostic.result` callers check completion).

The remediation plan lists each measure called by a counted answer once, at the lowest level any
answer called (level 1, essential, before level 2, reinforced), with every question that called
it as reasons. It is ordered by level, then by the measure's priority rank, then by the lowest
score among its reasons; the first ``PRIORITY_COUNT`` are the priority measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from mutualis.cyber.referential import (
    DONT_KNOW,
    LEVEL_LABELS,
    SCORE_MAX,
    Question,
    Referential,
)

PRIORITY_COUNT = 6
FIRST_ADVICE_TOP = 6

MESSAGES: dict[str, str] = {
    "unknown_question": "la question « {question} » n'existe pas dans le référentiel {version}",
    "unknown_answer": "la réponse « {answer} » n'existe pas pour la question « {question} »",
}


class AnswerError(ValueError):
    """Answers that do not belong to the referential they are scored against."""


@dataclass(frozen=True)
class AnsweredQuestion:
    """A visible question and what was answered; ``counted`` when it enters the scores."""

    question_id: str
    theme_id: str
    weight: int
    answer_id: str | None
    score: int | None
    counted: bool


@dataclass(frozen=True)
class ThemeScore:
    theme_id: str
    title: str
    score: Decimal | None
    counted: int
    dont_know: int
    unanswered: int

    @property
    def visible(self) -> int:
        return self.counted + self.dont_know + self.unanswered


@dataclass(frozen=True)
class Maturity:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class Reason:
    """A question whose answer called a measure, and at which level."""

    question_id: str
    answer_id: str
    score: int
    level: int


@dataclass(frozen=True)
class PlanItem:
    position: int
    measure_id: str
    title: str
    theme_id: str
    level: int
    level_label: str
    how: str
    priority_rank: int
    is_priority: bool
    advanced_only: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class RadarAxis:
    theme_id: str
    label: str
    value: float | None


@dataclass(frozen=True)
class DiagnosticResult:
    referential_version: str
    referential_fingerprint: str
    themes: tuple[ThemeScore, ...]
    overall: Decimal | None
    maturity: Maturity | None
    plan: tuple[PlanItem, ...]
    answers: tuple[AnsweredQuestion, ...]

    @property
    def priority_measures(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.plan if item.is_priority)

    @property
    def counted(self) -> int:
        return sum(theme.counted for theme in self.themes)

    @property
    def answered(self) -> int:
        """Scored questions answered, « Je ne sais pas » included (« 24 réponses sur 52 »)."""
        return self.counted + self.dont_know

    @property
    def questions(self) -> int:
        """Scored questions shown (follow-ups appear with the answers that call them)."""
        return self.answered + self.unanswered

    @property
    def dont_know(self) -> int:
        return sum(theme.dont_know for theme in self.themes)

    @property
    def unanswered(self) -> int:
        return sum(theme.unanswered for theme in self.themes)

    def theme(self, theme_id: str) -> ThemeScore:
        return next(theme for theme in self.themes if theme.theme_id == theme_id)

    def radar(self) -> tuple[RadarAxis, ...]:
        """One axis per theme, in referential order; ``None`` for a theme with nothing counted."""
        return tuple(
            RadarAxis(t.theme_id, t.title, None if t.score is None else float(t.score))
            for t in self.themes
        )


@dataclass(frozen=True)
class AdvancedAddition:
    """A measure only the advanced offer's referent delivers; ``related_gap`` when the
    self-assessment showed a weakness in its theme."""

    measure_id: str
    title: str
    theme_id: str
    related_gap: bool


@dataclass(frozen=True)
class FirstAdvice:
    referential_version: str
    asked: int
    counted: int  # answered with something else than « Je ne sais pas »
    dont_know: int
    score: Decimal | None
    top_measures: tuple[PlanItem, ...]
    advanced_additions: tuple[AdvancedAddition, ...]
    diagnostic_question_count: int
    themes_not_covered: tuple[str, ...]


@dataclass(frozen=True)
class ThemeChange:
    theme_id: str
    title: str
    previous: Decimal | None
    current: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class MeasureProgress:
    measure_id: str
    title: str
    previous_level: int
    current_level: int


@dataclass(frozen=True)
class Comparison:
    same_referential: bool
    themes: tuple[ThemeChange, ...]
    previous_overall: Decimal | None
    current_overall: Decimal | None
    previous_maturity: int | None
    current_maturity: int | None
    closed: tuple[PlanItem, ...]
    unresolved: tuple[PlanItem, ...]
    new: tuple[PlanItem, ...]
    still_open: tuple[MeasureProgress, ...]

    @property
    def overall_change(self) -> Decimal | None:
        if self.previous_overall is None or self.current_overall is None:
            return None
        return self.current_overall - self.previous_overall


def score_diagnostic(referential: Referential, answers: Mapping[str, str]) -> DiagnosticResult:
    """Score a full diagnostic; answers to hidden follow-ups and to context questions only
    decide what is shown. Raise AnswerError for a question or answer the referential lacks."""
    _check_answers(referential, answers)
    answered = _answered_questions(referential, referential.questions, answers)
    themes = tuple(_theme_score(referential, theme.id, answered) for theme in referential.themes)
    overall = _percentage([a for a in answered if a.counted])
    maturity = None
    if overall is not None:
        level = referential.maturity_for(overall)
        maturity = Maturity(level.level, level.label, level.description)
    return DiagnosticResult(
        referential_version=referential.version,
        referential_fingerprint=referential.fingerprint(),
        themes=themes,
        overall=overall,
        maturity=maturity,
        plan=_plan(referential, answered),
        answers=answered,
    )


def first_advice(
    referential: Referential, answers: Mapping[str, str], *, limit: int = FIRST_ADVICE_TOP
) -> FirstAdvice:
    """The base offer's short self-assessment: only first-advice questions count; it returns the
    top measures a commune can take alone and what the advanced offer's referent would add."""
    _check_answers(referential, answers)
    flagged = referential.first_advice_questions()
    flagged_ids = {q.id for q in flagged}
    own_answers = {qid: aid for qid, aid in answers.items() if qid in flagged_ids}
    answered = _answered_questions(referential, flagged, own_answers)
    plan = _plan(referential, answered)
    top = tuple(item for item in plan if not item.advanced_only)[:limit]
    gap_themes = {
        a.theme_id for a in answered if a.counted and a.score is not None and a.score < SCORE_MAX
    }
    additions = sorted(
        (m for m in referential.measures if m.advanced_only),
        key=lambda m: (m.theme not in gap_themes, m.priority),
    )
    covered = {q.theme for q in flagged if q.is_scored}
    return FirstAdvice(
        referential_version=referential.version,
        asked=sum(1 for a in answered if a.weight > 0),
        counted=sum(1 for a in answered if a.counted and a.answer_id != DONT_KNOW),
        dont_know=sum(1 for a in answered if a.weight > 0 and a.answer_id == DONT_KNOW),
        score=_percentage([a for a in answered if a.counted]),
        top_measures=tuple(
            _replace_position(item, index + 1, index < PRIORITY_COUNT)
            for index, item in enumerate(top)
        ),
        advanced_additions=tuple(
            AdvancedAddition(m.id, m.title, m.theme, m.theme in gap_themes) for m in additions
        ),
        diagnostic_question_count=len(referential.scored_questions()),
        themes_not_covered=tuple(t.id for t in referential.themes if t.id not in covered),
    )


def compare(previous: DiagnosticResult, current: DiagnosticResult) -> Comparison:
    """What changed between two diagnostics of one commune (typically the 6-month check-in).

    A measure missing from the current plan is ``closed`` only when every question that called
    it is now answered with a score; if one is now unanswered or hidden, nothing proves it was
    done, so it is ``unresolved`` (a ``dont_know`` keeps the measure in the plan: still open)."""
    previous_themes = {t.theme_id: t for t in previous.themes}
    current_themes = {t.theme_id: t for t in current.themes}
    order = [t.theme_id for t in current.themes]
    order += [t.theme_id for t in previous.themes if t.theme_id not in current_themes]
    themes = tuple(
        ThemeChange(
            theme_id=theme_id,
            title=(current_themes.get(theme_id) or previous_themes[theme_id]).title,
            previous=previous_themes[theme_id].score if theme_id in previous_themes else None,
            current=current_themes[theme_id].score if theme_id in current_themes else None,
        )
        for theme_id in order
    )
    current_plan = {item.measure_id: item for item in current.plan}
    previous_plan = {item.measure_id: item for item in previous.plan}
    counted_now = {a.question_id for a in current.answers if a.counted}
    closed, unresolved, still_open = [], [], []
    for item in previous.plan:
        if item.measure_id in current_plan:
            now = current_plan[item.measure_id]
            still_open.append(MeasureProgress(item.measure_id, now.title, item.level, now.level))
        elif all(reason.question_id in counted_now for reason in item.reasons):
            closed.append(item)
        else:
            unresolved.append(item)
    return Comparison(
        same_referential=previous.referential_fingerprint == current.referential_fingerprint,
        themes=themes,
        previous_overall=previous.overall,
        current_overall=current.overall,
        previous_maturity=previous.maturity.level if previous.maturity else None,
        current_maturity=current.maturity.level if current.maturity else None,
        closed=tuple(closed),
        unresolved=tuple(unresolved),
        new=tuple(item for item in current.plan if item.measure_id not in previous_plan),
        still_open=tuple(still_open),
    )


# --- internals -------------------------------------------------------------------------------


def _check_answers(referential: Referential, answers: Mapping[str, str]) -> None:
    for question_id, answer_id in answers.items():
        if not referential.has_question(question_id):
            raise AnswerError(
                MESSAGES["unknown_question"].format(
                    question=question_id, version=referential.version
                )
            )
        if referential.question(question_id).answer(answer_id) is None:
            raise AnswerError(
                MESSAGES["unknown_answer"].format(answer=answer_id, question=question_id)
            )


def _answered_questions(
    referential: Referential, asked: tuple[Question, ...], answers: Mapping[str, str]
) -> tuple[AnsweredQuestion, ...]:
    visible = {q.id for q in referential.visible_questions(answers)}
    result = []
    for question in asked:
        if question.id not in visible:
            continue
        answer_id = answers.get(question.id)
        answer = question.answer(answer_id) if answer_id is not None else None
        score = answer.score if answer is not None else None
        if answer_id == DONT_KNOW and question.is_scored:
            score = 0  # not known to be in place: counted as not in place
        counted = question.is_scored and score is not None
        result.append(
            AnsweredQuestion(
                question.id, question.theme, question.weight, answer_id, score, counted
            )
        )
    return tuple(result)


def _theme_score(
    referential: Referential, theme_id: str, answered: tuple[AnsweredQuestion, ...]
) -> ThemeScore:
    mine = [a for a in answered if a.theme_id == theme_id and a.weight > 0]
    return ThemeScore(
        theme_id=theme_id,
        title=referential.theme(theme_id).title,
        score=_percentage([a for a in mine if a.counted]),
        counted=sum(1 for a in mine if a.counted and a.answer_id != DONT_KNOW),
        dont_know=sum(1 for a in mine if a.answer_id == DONT_KNOW),
        unanswered=sum(1 for a in mine if a.answer_id is None),
    )


def _percentage(counted: list[AnsweredQuestion]) -> Decimal | None:
    denominator = sum(a.weight * SCORE_MAX for a in counted)
    if denominator == 0:
        return None
    ratio = Fraction(sum(a.weight * (a.score or 0) for a in counted) * 100, denominator)
    # Exact fraction first, one rounding at the end: the same answers always give the same figure.
    value = Decimal(ratio.numerator) / Decimal(ratio.denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _plan(referential: Referential, answered: tuple[AnsweredQuestion, ...]) -> tuple[PlanItem, ...]:
    reasons: dict[str, list[Reason]] = {}
    for item in answered:
        if not item.counted or item.answer_id is None:
            continue
        question = referential.question(item.question_id)
        answer = question.answer(item.answer_id)
        if item.answer_id == DONT_KNOW:
            # « Je ne sais pas » calls what the answer « not in place » (the lowest) calls.
            answer = min(
                (a for a in question.answers if a.id != DONT_KNOW and a.score is not None),
                key=lambda a: a.score,
                default=None,
            )
        if answer is None or answer.measure is None:
            continue
        reason = Reason(item.question_id, item.answer_id, answer.score or 0, answer.measure.level)
        reasons.setdefault(answer.measure.id, []).append(reason)

    def key(measure_id: str) -> tuple[int, int, int, str]:
        found = reasons[measure_id]
        level = min(r.level for r in found)
        return (
            level,
            referential.measure(measure_id).priority,
            min(r.score for r in found),
            measure_id,
        )

    plan = []
    for index, measure_id in enumerate(sorted(reasons, key=key)):
        measure = referential.measure(measure_id)
        level = min(r.level for r in reasons[measure_id])
        plan.append(
            PlanItem(
                position=index + 1,
                measure_id=measure_id,
                title=measure.title,
                theme_id=measure.theme,
                level=level,
                level_label=LEVEL_LABELS[level],
                how=measure.how(level),
                priority_rank=measure.priority,
                is_priority=index < PRIORITY_COUNT,
                advanced_only=measure.advanced_only,
                reasons=tuple(reasons[measure_id]),
            )
        )
    return tuple(plan)


def _replace_position(item: PlanItem, position: int, is_priority: bool) -> PlanItem:
    return replace(item, position=position, is_priority=is_priority)
