"""Tests of quiz scoring, "spot the trap" feedback and the cutting of messages into segments."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.awareness.content import load_modules, parse_module, shipped_modules_directory
from mutualis.awareness.scoring import (
    check_clicks,
    check_exercise,
    render_exercise_parts,
    score_quiz,
)

HEADER = """\
---
slug: essai
title: Essai
summary: Essai.
duration_minutes: 10
version: 1
pass_mark: {pass_mark}
order: 1
---

## Section

Texte.

"""


def _quiz_module(question_count: int, pass_mark: int = 70):
    """A module of single-choice questions q1..qN whose right answer is always « a »."""
    questions = "".join(
        f"- id: q{n}\n  kind: single\n  question: Question {n} ?\n  choices:\n"
        "    - id: a\n      text: Bonne\n      correct: true\n      explanation: Juste.\n"
        "    - id: b\n      text: Mauvaise\n      correct: false\n      explanation: Faux.\n"
        for n in range(1, question_count + 1)
    )
    text = HEADER.format(pass_mark=pass_mark) + f"```quiz\n{questions}```\n"
    return parse_module(text, source="essai.md")


MIXED = (
    HEADER.format(pass_mark=50)
    + """\
```quiz
- id: unique
  kind: single
  question: Une seule ?
  choices:
    - {id: a, text: Oui, correct: true, explanation: Juste.}
    - {id: b, text: Non, correct: false, explanation: Faux.}
- id: plusieurs
  kind: multiple
  question: Plusieurs ?
  choices:
    - {id: a, text: Un, correct: true, explanation: Juste un.}
    - {id: b, text: Deux, correct: true, explanation: Juste deux.}
    - {id: c, text: Trois, correct: false, explanation: Faux trois.}
```
"""
)


@pytest.fixture(scope="module")
def mixed():
    return parse_module(MIXED, source="mixte.md")


@pytest.fixture(scope="module")
def shipped():
    return load_modules(shipped_modules_directory())


# --- Quiz ------------------------------------------------------------------------------------


def test_all_right_answers_score_100_and_pass(mixed):
    result = score_quiz(mixed, {"unique": {"a"}, "plusieurs": {"a", "b"}})
    assert (result.correct_count, result.total, result.percentage, result.passed) == (
        2,
        2,
        100,
        True,
    )


def test_multiple_choice_needs_exactly_the_correct_set(mixed):
    partial = score_quiz(mixed, {"plusieurs": {"a"}})
    extra = score_quiz(mixed, {"plusieurs": {"a", "b", "c"}})
    assert not partial.questions[1].correct
    assert not extra.questions[1].correct


def test_single_choice_with_two_boxes_ticked_is_wrong(mixed):
    result = score_quiz(mixed, {"unique": {"a", "b"}})
    assert not result.questions[0].correct


def test_unanswered_question_is_wrong_and_marked_unanswered(mixed):
    result = score_quiz(mixed, {"unique": {"a"}})
    assert result.questions[1].answered is False
    assert result.questions[1].correct is False
    assert result.questions[0].answered is True


def test_unknown_choice_makes_its_question_wrong_and_unknown_question_is_ignored(mixed):
    result = score_quiz(mixed, {"unique": {"a", "zz"}, "inconnue": {"a"}, "plusieurs": {"a", "b"}})
    assert not result.questions[0].correct
    assert result.questions[0].selected == {"a"}
    assert result.total == 2


def test_every_choice_comes_back_with_its_explanation_and_judgement(mixed):
    result = score_quiz(mixed, {"plusieurs": {"a", "c"}})
    feedback = {item.choice.id: item for item in result.questions[1].choices}
    assert feedback["a"].well_judged and feedback["a"].choice.explanation == "Juste un."
    assert not feedback["b"].well_judged  # a correct choice left unticked
    assert not feedback["c"].well_judged  # a wrong choice ticked
    assert feedback["c"].choice.explanation == "Faux trois."


@pytest.mark.parametrize(
    ("right", "passed"), [(6, False), (7, True), (8, True)], ids=["below", "at", "above"]
)
def test_pass_mark_is_inclusive(right, passed):
    module = _quiz_module(10, pass_mark=70)
    answers = {f"q{n}": {"a" if n <= right else "b"} for n in range(1, 11)}
    result = score_quiz(module, answers)
    assert result.correct_count == right
    assert result.passed is passed


def test_pass_mark_compares_exact_fraction_not_rounded_percentage():
    # 2 of 3 is 66.67 %, shown as 67, but does not reach a pass mark of 67.
    module = _quiz_module(3, pass_mark=67)
    result = score_quiz(module, {"q1": {"a"}, "q2": {"a"}, "q3": {"b"}})
    assert result.percentage == 67
    assert result.passed is False


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(0, 100), st.data())
def test_percentage_and_pass_follow_the_count_of_right_answers(count, pass_mark, data):
    module = _quiz_module(count, pass_mark)
    right = data.draw(st.sets(st.integers(1, count)))
    answers = {f"q{n}": {"a" if n in right else "b"} for n in range(1, count + 1)}
    result = score_quiz(module, answers)
    assert result.correct_count == len(right)
    assert result.passed == (len(right) * 100 >= pass_mark * count)
    assert abs(result.percentage - len(right) * 100 / count) <= 0.5


def test_shipped_quizzes_score_full_marks_with_their_correct_answers(shipped):
    for module in shipped:
        answers = {question.id: set(question.correct_ids) for question in module.quiz}
        result = score_quiz(module, answers)
        assert result.percentage == 100 and result.passed, module.slug
        assert not score_quiz(module, {}).passed, module.slug


# --- Exercises -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def invoice(shipped):
    phishing = next(module for module in shipped if module.slug == "phishing")
    return next(exercise for exercise in phishing.exercises if exercise.id == "changement-rib")


def test_feedback_lists_found_missed_and_false_alarms_with_explanations(invoice):
    feedback = check_exercise(invoice, {"iban", "expediteur", "pas-un-id"}, {"facture"})
    assert [sign.id for sign in feedback.found] == ["expediteur", "iban"]
    assert {sign.id for sign in feedback.missed} == {"delai", "appel", "piece-jointe"}
    assert [decoy.id for decoy in feedback.false_alarms] == ["facture"]
    assert feedback.spared == ()
    assert all(item.explanation for item in (*feedback.found, *feedback.missed))
    assert not feedback.perfect


def test_all_signs_and_no_decoy_is_perfect(invoice):
    feedback = check_exercise(invoice, {sign.id for sign in invoice.signs}, set())
    assert feedback.perfect
    assert feedback.total_signs == len(invoice.signs)
    assert [decoy.id for decoy in feedback.spared] == ["facture"]


def test_check_clicks_splits_one_list_of_ids_into_signs_and_decoys(invoice):
    feedback = check_clicks(invoice, ["iban", "facture"])
    assert [sign.id for sign in feedback.found] == ["iban"]
    assert [decoy.id for decoy in feedback.false_alarms] == ["facture"]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_feedback_partitions_signs_and_decoys(shipped, data):
    exercises = [exercise for module in shipped for exercise in module.exercises]
    exercise = data.draw(st.sampled_from(exercises))
    ids = [span.id for span in (*exercise.signs, *exercise.decoys)]
    clicked = data.draw(st.sets(st.sampled_from([*ids, "inconnu"])))
    feedback = check_clicks(exercise, clicked)
    assert {s.id for s in feedback.found} | {s.id for s in feedback.missed} == {
        s.id for s in exercise.signs
    }
    assert not {s.id for s in feedback.found} & {s.id for s in feedback.missed}
    assert {s.id for s in feedback.false_alarms} | {s.id for s in feedback.spared} == {
        s.id for s in exercise.decoys
    }
    assert {s.id for s in (*feedback.found, *feedback.false_alarms)} == clicked - {"inconnu"}


# --- Rendering parts -------------------------------------------------------------------------


def test_parts_rebuild_every_field_and_offer_each_span_once(shipped):
    for module in shipped:
        for exercise in module.exercises:
            parts = render_exercise_parts(exercise)
            assert [part.name for part in parts] == list(exercise.message)
            targets = []
            for part in parts:
                assert "".join(s.text for s in part.segments) == exercise.message[part.name]
                assert all(segment.text for segment in part.segments)
                for left, right in zip(part.segments, part.segments[1:], strict=False):
                    assert left.target is not None or right.target is not None
                targets += [s.target for s in part.segments if s.target is not None]
            spans = (*exercise.signs, *exercise.decoys)
            assert sorted(targets) == sorted(span.id for span in spans), exercise.id


def test_parts_carry_french_labels_and_clickable_text(invoice):
    parts = {part.name: part for part in render_exercise_parts(invoice)}
    assert parts["from"].label == "De"
    assert parts["attachment"].label == "Pièce jointe"
    clickable = [s for s in parts["body"].segments if s.target == "iban"]
    assert [s.text for s in clickable] == ["IBAN : LT12 1000 0111 0100 1000"]


def test_parts_do_not_tell_signs_from_decoys(invoice):
    segment_fields = {
        field for part in render_exercise_parts(invoice) for s in part.segments for field in vars(s)
    }
    assert segment_fields == {"text", "target"}
