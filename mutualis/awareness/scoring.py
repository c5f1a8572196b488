"""Score quiz answers and "spot the trap" clicks, and cut messages into clickable parts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from mutualis.awareness.content import FIELD_LABELS, Choice, Exercise, Module, QuizQuestion, Sign


@dataclass(frozen=True)
class ChoiceFeedback:
    choice: Choice
    selected: bool

    @property
    def well_judged(self) -> bool:
        """True when the agent ticked a correct choice or left a wrong one alone."""
        return self.selected == self.choice.correct


@dataclass(frozen=True)
class QuestionResult:
    question: QuizQuestion
    selected: frozenset[str]  # the agent's choice ids that exist in the question
    answered: bool
    correct: bool  # exactly the set of correct choices was selected
    choices: tuple[ChoiceFeedback, ...]  # every choice with its explanation, in file order


@dataclass(frozen=True)
class QuizResult:
    questions: tuple[QuestionResult, ...]
    correct_count: int
    total: int
    percentage: int  # rounded half up, for display; ``passed`` compares exactly
    pass_mark: int
    passed: bool


def score_quiz(module: Module, answers: Mapping[str, Iterable[str]]) -> QuizResult:
    """Score answers given as question id → selected choice ids.

    A question counts as right only when the selected set equals the set of correct choices
    (no partial credit on multiple choice). An unanswered question is wrong; answers to question
    ids the module does not have are ignored; an unknown choice id makes its question wrong.
    """
    results = []
    for question in module.quiz:
        given = frozenset(answers.get(question.id, ()))
        known = frozenset(choice.id for choice in question.choices)
        correct = given == question.correct_ids
        feedback = tuple(ChoiceFeedback(choice, choice.id in given) for choice in question.choices)
        results.append(QuestionResult(question, given & known, bool(given), correct, feedback))
    total = len(results)
    right = sum(result.correct for result in results)
    ratio = Fraction(right * 100, total) if total else Fraction(0)
    return QuizResult(
        questions=tuple(results),
        correct_count=right,
        total=total,
        percentage=int(ratio + Fraction(1, 2)),
        pass_mark=module.pass_mark,
        passed=ratio >= module.pass_mark,
    )


@dataclass(frozen=True)
class ExerciseFeedback:
    found: tuple[Sign, ...]  # suspicious parts the agent clicked
    missed: tuple[Sign, ...]  # suspicious parts the agent did not click
    false_alarms: tuple[Sign, ...]  # legitimate parts (decoys) the agent clicked
    spared: tuple[Sign, ...]  # legitimate parts the agent rightly left alone

    @property
    def total_signs(self) -> int:
        return len(self.found) + len(self.missed)

    @property
    def perfect(self) -> bool:
        return not self.missed and not self.false_alarms


def check_exercise(
    exercise: Exercise, clicked_sign_ids: Iterable[str], clicked_decoys: Iterable[str]
) -> ExerciseFeedback:
    """Compare the agent's clicks with the exercise's signs and decoys; unknown ids are ignored."""
    signs, decoys = set(clicked_sign_ids), set(clicked_decoys)
    return ExerciseFeedback(
        found=tuple(sign for sign in exercise.signs if sign.id in signs),
        missed=tuple(sign for sign in exercise.signs if sign.id not in signs),
        false_alarms=tuple(decoy for decoy in exercise.decoys if decoy.id in decoys),
        spared=tuple(decoy for decoy in exercise.decoys if decoy.id not in decoys),
    )


def check_clicks(exercise: Exercise, clicked_ids: Iterable[str]) -> ExerciseFeedback:
    """Same as :func:`check_exercise` for a form that posts every clicked span id in one list."""
    clicked = set(clicked_ids)
    return check_exercise(exercise, clicked, clicked)


@dataclass(frozen=True)
class Segment:
    text: str
    target: str | None  # the span id to post when clicked; None for plain text


@dataclass(frozen=True)
class MessagePart:
    name: str  # the field: from, to, subject, body, url...
    label: str  # French label to show before the value
    segments: tuple[Segment, ...]


def render_exercise_parts(exercise: Exercise) -> tuple[MessagePart, ...]:
    """Cut each message field into plain and clickable segments, in display order.

    Signs and decoys come out alike, so the page does not reveal which is which. Joining a
    field's segment texts gives back the field's value exactly; the template escapes them.
    """
    spans = [*exercise.signs, *exercise.decoys]
    parts = []
    for name, value in exercise.message.items():
        segments = []
        position = 0
        for span in sorted((s for s in spans if s.field == name), key=lambda s: s.start):
            if span.start > position:
                segments.append(Segment(value[position : span.start], None))
            segments.append(Segment(span.text, span.id))
            position = span.end
        if position < len(value):
            segments.append(Segment(value[position:], None))
        parts.append(MessagePart(name, FIELD_LABELS[name], tuple(segments)))
    return tuple(parts)
