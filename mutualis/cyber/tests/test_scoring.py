"""Tests for scoring a diagnostic, the first advice and the comparison of two diagnostics."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.cyber.referential import DONT_KNOW, load_referential, parse_referential
from mutualis.cyber.scoring import (
    PRIORITY_COUNT,
    AnswerError,
    compare,
    first_advice,
    score_diagnostic,
)

SHIPPED_PATH = Path(__file__).resolve().parent.parent / "referentials" / "diagnostic-2024.yaml"
SHIPPED = load_referential(SHIPPED_PATH)


def scored(qid, theme, weight, measure, *, first_advice=True, shown_if=None, partial_level=2):
    """A scored question: ``good`` 3, ``fair`` 2 (no measure), ``weak`` 1 (measure at
    ``partial_level``), ``bad`` 0 (measure at level 1), and ``dont_know``."""
    question = {
        "id": qid,
        "theme": theme,
        "text": f"Question {qid} ?",
        "weight": weight,
        "first_advice": first_advice,
        "answers": [
            {"id": "good", "label": "Bien", "score": 3},
            {"id": "fair", "label": "Moyen", "score": 2},
            {
                "id": "weak",
                "label": "Faible",
                "score": 1,
                "measure": {"id": measure, "level": partial_level},
            },
            {"id": "bad", "label": "Mauvais", "score": 0, "measure": {"id": measure, "level": 1}},
            {"id": DONT_KNOW, "label": "Je ne sais pas"},
        ],
    }
    if shown_if:
        question["shown_if"] = shown_if
    return question


def measure(mid, theme, priority, *, advanced_only=False):
    return {
        "id": mid,
        "theme": theme,
        "title": f"Mesure {mid}",
        "why": "Parce que.",
        "levels": [{"level": 1, "how": "Essentiel."}, {"level": 2, "how": "Renforcé."}],
        "priority": priority,
        "effort": "low",
        "cost": "none",
        "actors": ["commune"],
        "advanced_only": advanced_only,
    }


def tiny_data():
    """Two themes. Alpha: a-01 (w1), a-02 (w2), a-03 (w3), a context question and a follow-up
    a-04 shown only when the context answer is ``oui``. Beta: seven questions of weight 1, the
    last one outside the first advice; M-B-03, called by b-05 to b-07, is advanced-only."""
    questions = [
        scored("a-01", "alpha", 1, "M-A-01"),
        scored("a-02", "alpha", 2, "M-A-01"),
        scored("a-03", "alpha", 3, "M-A-02"),
        {
            "id": "ctx-01",
            "theme": "alpha",
            "text": "Contexte ?",
            "weight": 0,
            "answers": [{"id": "oui", "label": "Oui"}, {"id": "non", "label": "Non"}],
        },
        scored(
            "a-04",
            "alpha",
            1,
            "M-A-03",
            first_advice=False,
            shown_if={"question": "ctx-01", "answers": ["oui"]},
        ),
    ]
    questions[3]["first_advice"] = True
    questions += [
        scored(f"b-0{n}", "beta", 1, f"M-B-0{min((n + 1) // 2, 3)}", first_advice=n < 7)
        for n in range(1, 8)
    ]
    return {
        "version": "t.1",
        "title": "Référentiel de test",
        "maturity_levels": [
            {"level": 1, "label": "Un", "min_score": 0},
            {"level": 2, "label": "Deux", "min_score": 50},
            {"level": 3, "label": "Trois", "min_score": 90},
        ],
        "themes": [{"id": "alpha", "title": "Alpha"}, {"id": "beta", "title": "Bêta"}],
        "questions": questions,
        "measures": [
            measure("M-A-01", "alpha", 3),
            measure("M-A-02", "alpha", 1),
            measure("M-A-03", "alpha", 2),
            measure("M-B-01", "beta", 4),
            measure("M-B-02", "beta", 5),
            measure("M-B-03", "beta", 6, advanced_only=True),
        ],
    }


def tiny(data=None):
    return parse_referential(yaml.safe_dump(data or tiny_data(), allow_unicode=True), source="tiny")


TINY = tiny()


# --- acceptance -----------------------------------------------------------------------------


@pytest.mark.parametrize("referential", [TINY, SHIPPED], ids=["tiny", "shipped"])
def test_all_best_answers_give_the_maximum_score_and_no_measure(referential):
    result = score_diagnostic(referential, referential.best_answers())

    assert result.overall == Decimal("100.0")
    assert all(theme.score == Decimal("100.0") for theme in result.themes)
    assert result.plan == ()
    assert result.maturity.level == referential.maturity_levels[-1].level


@pytest.mark.parametrize("referential", [TINY, SHIPPED], ids=["tiny", "shipped"])
def test_all_worst_answers_give_the_minimum_and_every_measure_at_level_one(referential):
    result = score_diagnostic(referential, referential.worst_answers())

    assert result.overall == Decimal("0.0")
    assert all(theme.score == Decimal("0.0") for theme in result.themes)
    assert sorted(item.measure_id for item in result.plan) == sorted(
        m.id for m in referential.measures
    )
    assert all(item.level == 1 and item.level_label == "Essentiel" for item in result.plan)
    assert result.maturity.level == 1


def test_dont_know_counts_as_not_in_place():
    answers = {"a-01": "good", "a-02": "weak", "a-03": "good", "b-01": "fair"}
    with_dont_know = {**answers, "a-03": DONT_KNOW}
    not_in_place = {**answers, "a-03": "bad"}

    result = score_diagnostic(TINY, with_dont_know)

    # (1×3 + 2×1 + 3×0) / (1×3 + 2×3 + 3×3): a-03 scores 0 on its full weight (it was 55.6
    # when « Je ne sais pas » was left out, higher than answering « bad »).
    assert result.theme("alpha").score == Decimal("27.8")
    assert result.theme("alpha").dont_know == 1 and result.dont_know == 1
    assert result.overall < score_diagnostic(TINY, answers).overall
    assert [t.score for t in result.themes] == [
        t.score for t in score_diagnostic(TINY, not_in_place).themes
    ]
    assert result.overall == score_diagnostic(TINY, not_in_place).overall
    plan = [(i.measure_id, i.level) for i in result.plan]
    assert plan == [(i.measure_id, i.level) for i in score_diagnostic(TINY, not_in_place).plan]
    assert result.answered == 4 and result.questions == 4 + result.unanswered


def test_first_advice_counts_dont_know_as_not_in_place():
    flagged = [q.id for q in TINY.first_advice_questions() if q.is_scored]
    good = first_advice(TINY, dict.fromkeys(flagged, "good"))
    one_unknown = first_advice(TINY, {**dict.fromkeys(flagged, "good"), flagged[0]: DONT_KNOW})
    assert one_unknown.score < good.score
    assert (one_unknown.dont_know, one_unknown.counted) == (1, len(flagged) - 1)


def test_theme_score_is_the_weighted_average_of_counted_answers():
    answers = {"a-01": "bad", "a-02": "fair", "a-03": "good", "b-01": "good", "b-02": "weak"}

    result = score_diagnostic(TINY, answers)

    # alpha: (1×0 + 2×2 + 3×3) / (6 × 3) = 13/18 = 72.22… ; beta: (3 + 1) / 6 = 66.66…
    assert result.theme("alpha").score == Decimal("72.2")
    assert result.theme("beta").score == Decimal("66.7")
    # overall: (13 + 4) / (18 + 6) = 70.83…
    assert result.overall == Decimal("70.8")
    assert result.maturity.label == "Deux"


def test_theme_with_nothing_counted_has_no_score_rather_than_zero():
    result = score_diagnostic(TINY, {"a-01": "good"})

    assert result.theme("beta").score is None
    assert [axis.value for axis in result.radar()] == [100.0, None]


def test_a_theme_answered_dont_know_only_scores_zero():
    result = score_diagnostic(TINY, {"a-01": "good", "b-01": DONT_KNOW})

    beta = result.theme("beta")
    assert beta.score == Decimal("0.0")
    assert (beta.counted, beta.dont_know, beta.unanswered) == (0, 1, 6)


def test_no_answer_at_all_gives_no_score_and_no_maturity():
    result = score_diagnostic(TINY, {})

    assert result.overall is None
    assert result.maturity is None
    assert result.plan == ()


# --- follow-up questions -------------------------------------------------------------------


def test_hidden_follow_up_answer_is_ignored():
    base = {"a-01": "good", "ctx-01": "non"}

    result = score_diagnostic(TINY, {**base, "a-04": "bad"})

    assert result == score_diagnostic(TINY, base)
    assert "a-04" not in {a.question_id for a in result.answers}
    assert "M-A-03" not in {item.measure_id for item in result.plan}


def test_follow_up_counts_once_its_parent_shows_it():
    result = score_diagnostic(TINY, {"a-01": "good", "ctx-01": "oui", "a-04": "bad"})

    assert result.theme("alpha").score == Decimal("50.0")
    assert [item.measure_id for item in result.plan] == ["M-A-03"]


def test_follow_up_unanswered_parent_keeps_it_hidden():
    result = score_diagnostic(TINY, {"a-04": "bad"})

    assert result.plan == ()
    assert result.theme("alpha").unanswered == 3


def test_context_question_weighs_nothing():
    with_context = score_diagnostic(TINY, {"a-01": "weak", "ctx-01": "non"})

    assert (
        with_context.theme("alpha").score
        == score_diagnostic(TINY, {"a-01": "weak"}).theme("alpha").score
    )


# --- the remediation plan --------------------------------------------------------------------


def test_plan_puts_level_one_first_then_priority_rank():
    answers = {
        "a-01": "weak",
        "a-02": "bad",
        "a-03": "weak",
        "b-01": "bad",
        "b-03": "bad",
        "b-05": "weak",
    }

    plan = score_diagnostic(TINY, answers).plan

    # Level 1: M-A-01 (rank 3, called at levels 2 and 1), M-B-01 (4), M-B-02 (5);
    # then level 2: M-A-02 (rank 1), M-B-03 (rank 6).
    assert [(item.measure_id, item.level) for item in plan] == [
        ("M-A-01", 1),
        ("M-B-01", 1),
        ("M-B-02", 1),
        ("M-A-02", 2),
        ("M-B-03", 2),
    ]
    assert [item.position for item in plan] == [1, 2, 3, 4, 5]
    assert plan[0].how == "Essentiel."
    assert plan[3].how == "Renforcé."


def test_measure_called_twice_is_listed_once_at_its_lowest_level_with_both_reasons():
    plan = score_diagnostic(TINY, {"a-01": "weak", "a-02": "bad"}).plan

    (item,) = plan
    assert item.measure_id == "M-A-01"
    assert item.level == 1
    assert [(r.question_id, r.answer_id, r.level) for r in item.reasons] == [
        ("a-01", "weak", 2),
        ("a-02", "bad", 1),
    ]


def test_first_six_measures_are_the_priority_measures():
    result = score_diagnostic(SHIPPED, SHIPPED.worst_answers())

    assert len(result.plan) > PRIORITY_COUNT
    assert [item.is_priority for item in result.plan] == [True] * PRIORITY_COUNT + [False] * (
        len(result.plan) - PRIORITY_COUNT
    )
    assert result.priority_measures == result.plan[:PRIORITY_COUNT]
    ranks = [item.priority_rank for item in result.plan]
    assert ranks == sorted(ranks)


def test_intermediate_answer_without_measure_calls_nothing():
    assert score_diagnostic(TINY, {"a-01": "fair", "a-02": "fair"}).plan == ()


def test_answers_foreign_to_the_referential_are_refused():
    with pytest.raises(AnswerError, match="zz-01"):
        score_diagnostic(TINY, {"zz-01": "good"})
    with pytest.raises(AnswerError, match="peut-etre"):
        score_diagnostic(TINY, {"a-01": "peut-etre"})


# --- versions ---------------------------------------------------------------------------------


def test_finished_diagnostic_scores_the_same_from_its_stored_referential_text():
    stored_text = yaml.safe_dump(tiny_data(), allow_unicode=True)
    answers = {"a-01": "weak", "a-02": "good", "a-03": "bad"}
    finished = score_diagnostic(parse_referential(stored_text, source="v1"), answers)
    changed_data = tiny_data()
    changed_data["version"] = "t.2"
    changed_data["questions"][2]["weight"] = 1

    changed = score_diagnostic(tiny(changed_data), answers)
    again = score_diagnostic(parse_referential(stored_text, source="v1"), answers)

    assert changed.overall != finished.overall
    assert changed.referential_fingerprint != finished.referential_fingerprint
    assert again == finished
    assert finished.referential_version == "t.1"


# --- comparison -----------------------------------------------------------------------------


def test_comparison_reports_theme_changes_and_closed_new_and_open_measures():
    before = score_diagnostic(
        TINY, {"a-01": "bad", "a-02": "bad", "a-03": "bad", "b-01": "bad", "b-03": "weak"}
    )
    after = score_diagnostic(
        TINY,
        {
            "a-01": "weak",
            "a-02": "good",
            "a-03": "good",
            "b-03": "bad",
            "b-05": "bad",
        },
    )

    comparison = compare(before, after)

    assert comparison.same_referential
    alpha = next(t for t in comparison.themes if t.theme_id == "alpha")
    # after: (1×1 + 2×3 + 3×3) / 18 = 88.88…
    assert (alpha.previous, alpha.current) == (Decimal("0.0"), Decimal("88.9"))
    assert alpha.change == Decimal("88.9")
    assert [item.measure_id for item in comparison.closed] == ["M-A-02"]
    assert [item.measure_id for item in comparison.unresolved] == ["M-B-01"]
    assert [item.measure_id for item in comparison.new] == ["M-B-03"]
    assert [(p.measure_id, p.previous_level, p.current_level) for p in comparison.still_open] == [
        ("M-A-01", 1, 2),
        ("M-B-02", 2, 1),
    ]
    assert comparison.current_maturity == 2


def test_comparison_across_referential_versions_says_so():
    changed_data = tiny_data()
    changed_data["version"] = "t.2"
    changed_data["themes"].append({"id": "gamma", "title": "Gamma"})
    changed_data["questions"].append(scored("c-01", "gamma", 1, "M-B-01", first_advice=False))

    comparison = compare(
        score_diagnostic(TINY, {"a-01": "good"}),
        score_diagnostic(tiny(changed_data), {"a-01": "good", "c-01": "good"}),
    )

    assert not comparison.same_referential
    gamma = next(t for t in comparison.themes if t.theme_id == "gamma")
    assert (gamma.previous, gamma.current, gamma.change) == (None, Decimal("100.0"), None)


# --- first advice ------------------------------------------------------------------------------


def test_first_advice_counts_only_its_own_questions():
    advice = first_advice(TINY, {"a-01": "bad", "b-07": "bad"})

    assert advice.counted == 1
    assert advice.score == Decimal("0.0")
    assert [item.measure_id for item in advice.top_measures] == ["M-A-01"]


def test_first_advice_keeps_advanced_only_measures_for_the_advanced_offer():
    answers = {q.id: "bad" for q in TINY.first_advice_questions() if q.is_scored}

    advice = first_advice(TINY, answers)

    assert "M-B-03" not in {item.measure_id for item in advice.top_measures}
    assert [a.measure_id for a in advice.advanced_additions] == ["M-B-03"]
    assert advice.advanced_additions[0].related_gap
    assert advice.diagnostic_question_count == len(TINY.scored_questions())


def test_first_advice_on_the_shipped_referential_stays_short():
    advice = first_advice(SHIPPED, SHIPPED.worst_answers())

    assert 10 <= advice.asked <= 15
    assert len(advice.top_measures) == 6
    assert all(not item.advanced_only for item in advice.top_measures)
    assert {a.measure_id for a in advice.advanced_additions} == {
        m.id for m in SHIPPED.measures if m.advanced_only
    }
    assert [item.position for item in advice.top_measures] == [1, 2, 3, 4, 5, 6]


def test_first_advice_puts_advanced_measures_of_weak_themes_first():
    strong = {q.id: q.scored_answers()[0].id for q in SHIPPED.first_advice_questions()}
    weak_backups = {**strong, "bak-01": "never"}

    advice = first_advice(SHIPPED, weak_backups)

    assert advice.advanced_additions[0].measure_id == "M-BAK-03"
    assert advice.advanced_additions[0].related_gap
    assert not any(a.related_gap for a in advice.advanced_additions[1:])


# --- properties -------------------------------------------------------------------------------


@st.composite
def shipped_answers(draw):
    """Any subset of questions answered with any of their answers (hidden ones included)."""
    answers = {}
    for question in SHIPPED.questions:
        if draw(st.booleans()):
            answers[question.id] = draw(st.sampled_from([a.id for a in question.answers]))
    return answers


@settings(max_examples=150, deadline=None)
@given(shipped_answers())
def test_random_answers_never_crash_and_stay_within_bounds(answers):
    result = score_diagnostic(SHIPPED, answers)

    scores = [t.score for t in result.themes if t.score is not None]
    assert all(Decimal(0) <= s <= Decimal(100) for s in scores)
    if result.overall is None:
        assert scores == []
    else:
        # A weighted average lies between its smallest and largest parts (give or take rounding).
        assert min(scores) - Decimal("0.1") <= result.overall <= max(scores) + Decimal("0.1")
    ids = [item.measure_id for item in result.plan]
    assert len(ids) == len(set(ids))
    assert sum(item.is_priority for item in result.plan) == min(PRIORITY_COUNT, len(ids))
    counted = {a.question_id for a in result.answers if a.counted}
    assert all(r.question_id in counted for item in result.plan for r in item.reasons)
    assert len(first_advice(SHIPPED, answers).top_measures) <= 6


@settings(max_examples=100, deadline=None)
@given(shipped_answers(), st.data())
def test_replacing_an_answer_by_dont_know_equals_answering_not_in_place(answers, data):
    # Questions that show no follow-up: changing their answer changes nothing else.
    parents = {q.shown_if.question for q in SHIPPED.questions if q.shown_if}
    scored_ids = sorted(
        qid for qid in answers if SHIPPED.question(qid).is_scored and qid not in parents
    )
    if not scored_ids:
        return
    target = data.draw(st.sampled_from(scored_ids))
    question = SHIPPED.question(target)
    lowest = min((a for a in question.answers if a.id != DONT_KNOW), key=lambda a: a.score)

    with_dont_know = score_diagnostic(SHIPPED, {**answers, target: DONT_KNOW})
    not_in_place = score_diagnostic(SHIPPED, {**answers, target: lowest.id})
    as_given = score_diagnostic(SHIPPED, answers)

    assert with_dont_know.overall == not_in_place.overall
    if as_given.overall is not None and with_dont_know.overall is not None:
        assert with_dont_know.overall <= as_given.overall  # never raises a score
    assert [t.score for t in with_dont_know.themes] == [t.score for t in not_in_place.themes]
    assert [(i.measure_id, i.level) for i in with_dont_know.plan] == [
        (i.measure_id, i.level) for i in not_in_place.plan
    ]
