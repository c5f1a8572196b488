"""Tests for loading and validating the diagnostic referential file."""

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualis.cyber.referential import (
    DONT_KNOW,
    FIRST_ADVICE_MAX,
    FIRST_ADVICE_MIN,
    ReferentialError,
    ensure_new_version,
    load_referential,
    parse_referential,
)

SHIPPED = Path(__file__).resolve().parent.parent / "referentials" / "diagnostic-2024.yaml"
TEXT = SHIPPED.read_text(encoding="utf-8")
SOURCE = "diagnostic-test.yaml"


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first occurrence of ``fragment`` in ``text``."""
    index = text.index(fragment)
    return text.count("\n", 0, index) + 1


def question_index(question_id: str) -> int:
    data = yaml.safe_load(TEXT)
    return next(i for i, q in enumerate(data["questions"]) if q["id"] == question_id)


def refused(text: str) -> ReferentialError:
    with pytest.raises(ReferentialError) as caught:
        parse_referential(text, source=SOURCE)
    return caught.value


def replace_once(old: str, new: str) -> str:
    assert TEXT.count(old) >= 1, old
    return TEXT.replace(old, new, 1)


# --- the shipped file -----------------------------------------------------------------------


def test_shipped_referential_loads_with_the_required_content():
    referential = load_referential(SHIPPED)

    assert referential.version == "2024.1"
    assert referential.title
    assert {t.id for t in referential.themes} >= {
        "governance",
        "accounts",
        "workstations",
        "backups",
        "network",
        "email",
        "suppliers",
        "incidents",
        "awareness",
        "website",
        "personal_data",
    }
    assert len(referential.scored_questions()) >= 40
    assert len(referential.measures) >= 40
    assert FIRST_ADVICE_MIN <= len(referential.first_advice_questions()) <= FIRST_ADVICE_MAX
    assert sum(1 for q in referential.questions if q.weight == 0) >= 2
    assert sum(1 for q in referential.questions if q.shown_if) >= 2
    assert any(m.advanced_only for m in referential.measures)
    assert all(q.answer(DONT_KNOW) for q in referential.scored_questions())
    assert referential.review_after_months == 6


def test_shipped_measures_have_two_levels_and_unique_ranks_from_one():
    referential = load_referential(SHIPPED)

    assert all(len(m.levels) == 2 for m in referential.measures)
    ranks = sorted(m.priority for m in referential.measures)
    assert ranks == list(range(1, len(referential.measures) + 1))


def test_shipped_measures_link_to_typed_platform_services():
    referential = load_referential(SHIPPED)

    kinds = {kind for kind, _ in referential.service_links()}
    assert {"awareness_module", "purchasing", "support"} <= kinds
    assert all(ref for kind, ref in referential.service_links() if kind == "purchasing")


def test_shipped_first_advice_questions_are_all_visible_without_follow_up():
    referential = load_referential(SHIPPED)

    visible = {q.id for q in referential.visible_questions({})}
    assert all(q.id in visible for q in referential.first_advice_questions())


# --- classes of error, each with a precise message --------------------------------------------


def test_error_names_the_file_it_came_from(tmp_path):
    path = tmp_path / "mon-referentiel.yaml"
    path.write_text(TEXT.replace('version: "2024.1"', "version: [1]"), encoding="utf-8")

    with pytest.raises(ReferentialError) as caught:
        load_referential(path)

    assert str(path) in str(caught.value)
    assert caught.value.problems[0].path == "version"


def test_unreadable_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "absent.yaml"

    with pytest.raises(ReferentialError, match=r"absent\.yaml"):
        load_referential(path)


def test_wrong_type_is_refused_with_path_and_line():
    text = replace_once(
        "  - id: gov-02\n    theme: governance\n    weight: 2",
        "  - id: gov-02\n    theme: governance\n    weight: deux",
    )

    error = refused(text)

    (problem,) = error.problems
    assert problem.path == f"questions[{question_index('gov-02')}].weight"
    assert problem.line == line_of(text, "weight: deux")
    assert "nombre entier" in problem.message
    assert SOURCE in str(error)
    assert f"ligne {problem.line}" in str(error)


def test_missing_key_points_at_the_item_that_lacks_it():
    text = replace_once("  - id: gov-02\n    theme: governance\n", "  - id: gov-02\n")

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('gov-02')}].theme"
    assert problem.line == line_of(text, "  - id: gov-02")
    assert "absente" in problem.message


def test_value_outside_a_fixed_list_names_the_allowed_values():
    text = replace_once("    actors: [commune]\n", "    actors: [mairie]\n")

    (problem,) = refused(text).problems

    assert problem.path.endswith(".actors[0]")
    assert "'commune', 'referent' ou 'supplier'" in problem.message


def test_misspelt_key_is_refused_as_unknown():
    text = replace_once("    first_advice: true\n", "    first_advise: true\n")

    paths = {p.path: p.message for p in refused(text).problems}

    key = next(path for path in paths if path.endswith(".first_advise"))
    assert "clé inconnue" in paths[key]


def test_unknown_measure_reference_is_refused():
    text = replace_once("{id: M-GOV-01, level: 1}", "{id: M-GOV-99, level: 1}")

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('gov-01')}].answers[2].measure.id"
    assert problem.line == line_of(text, "M-GOV-99")
    assert "M-GOV-99" in problem.message


def test_score_out_of_range_is_refused():
    text = replace_once(
        '{id: named, label: "Oui, une personne désignée qui y consacre du temps", score: 3}',
        '{id: named, label: "Oui, une personne désignée qui y consacre du temps", score: 4}',
    )

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('gov-01')}].answers[0].score"
    assert problem.line == line_of(text, "score: 4}")
    assert "au plus 3" in problem.message


def test_duplicate_question_id_is_refused_and_names_the_first():
    text = replace_once("  - id: gov-02\n", "  - id: gov-01\n")

    problems = refused(text).problems

    duplicate = next(p for p in problems if "déjà utilisé" in p.message)
    assert duplicate.path == f"questions[{question_index('gov-02')}].id"
    assert f"questions[{question_index('gov-01')}]" in duplicate.message
    assert duplicate.line == line_of(
        text, '  - id: gov-01\n    theme: governance\n    weight: 2\n    text: "La mairie'
    )


def test_follow_up_to_unknown_question_is_refused():
    text = replace_once("shown_if: {question: ctx-05,", "shown_if: {question: ctx-09,")

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('bak-04')}].shown_if.question"
    assert "ctx-09" in problem.message
    assert problem.line == line_of(text, "ctx-09")


def test_follow_up_to_a_later_question_is_refused():
    text = replace_once(
        "shown_if: {question: ctx-05, answers: [hosted, mixed]}",
        'shown_if: {question: pd-01, answers: ["yes"]}',
    )

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('bak-04')}].shown_if.question"
    assert "avant" in problem.message


def test_follow_up_to_an_answer_the_question_lacks_is_refused():
    text = replace_once("answers: [hosted, mixed]", "answers: [hosted, partout]")

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('bak-04')}].shown_if.answers[1]"
    assert "partout" in problem.message


def test_yaml_syntax_error_gives_its_line():
    lines = TEXT.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "weight: 2")
    lines[target] = "    weight: 2: 3"

    (problem,) = refused("\n".join(lines)).problems

    assert problem.line == target + 1
    assert "syntaxe YAML" in problem.message
    assert f"ligne {target + 1}" in str(problem)


def test_tab_indentation_is_explained_in_french():
    lines = TEXT.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "weight: 2")
    lines[target] = "\tweight: 2"

    (problem,) = refused("\n".join(lines)).problems

    assert "tabulation" in problem.message
    assert problem.line == target + 1


def test_duplicate_key_is_refused_instead_of_silently_kept():
    text = replace_once("    weight: 2\n", "    weight: 2\n    weight: 1\n")

    (problem,) = refused(text).problems

    assert "deux fois" in problem.message
    assert problem.line == line_of(text, "weight: 1\n")


def test_unquoted_yes_as_answer_id_gets_a_quoting_hint():
    text = replace_once('{id: "yes", label: "Oui", score: 3}', '{id: yes, label: "Oui", score: 3}')

    problems = refused(text).problems

    assert any("guillemets" in p.message for p in problems)


def test_context_question_may_not_score_its_answers():
    text = replace_once(
        '{id: up_to_2, label: "1 ou 2"}', '{id: up_to_2, label: "1 ou 2", score: 1}'
    )

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('ctx-01')}].answers[0].score"
    assert "contexte" in problem.message


def test_scored_question_without_dont_know_is_refused():
    lines = TEXT.splitlines(keepends=True)
    start = line_of(TEXT, "  - id: gov-02") - 1
    index = next(i for i in range(start, len(lines)) if "id: dont_know" in lines[i])
    text = "".join(lines[:index] + lines[index + 1 :])

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('gov-02')}].answers"
    assert "dont_know" in problem.message


def test_dont_know_may_not_score():
    lines = TEXT.splitlines(keepends=True)
    start = line_of(TEXT, "  - id: gov-02") - 1
    index = next(i for i in range(start, len(lines)) if "id: dont_know" in lines[i])
    lines[index] = '      - {id: dont_know, label: "Je ne sais pas", score: 1}\n'

    (problem,) = refused("".join(lines)).problems

    assert problem.path == f"questions[{question_index('gov-02')}].answers[3]"


def test_worst_answer_must_call_a_measure_at_level_one():
    text = replace_once(
        '{id: nobody, label: "Non, personne", score: 0, measure: {id: M-GOV-01, level: 1}}',
        '{id: nobody, label: "Non, personne", score: 0, measure: {id: M-GOV-01, level: 2}}',
    )

    (problem,) = refused(text).problems

    assert problem.path == f"questions[{question_index('gov-01')}].answers[2].measure"
    assert "niveau 1" in problem.message


def test_measure_without_level_one_is_refused_and_so_are_calls_to_it():
    block = TEXT.index("  - id: M-GOV-04")
    level_one = TEXT.index("      - level: 1\n", block)
    level_two = TEXT.index("      - level: 2\n", block)
    text = TEXT[:level_one] + TEXT[level_two:]

    messages = [p.message for p in refused(text).problems]

    assert "une mesure doit avoir un niveau 1 (essentiel)" in messages
    assert any("M-GOV-04" in m and "niveau 1" in m for m in messages)


def test_purchasing_link_without_reference_is_refused():
    text = replace_once("{kind: purchasing, ref: postes-de-travail}", "{kind: purchasing}")

    (problem,) = refused(text).problems

    assert ".helped_by[0]" in problem.path
    assert "référence" in problem.message


def test_duplicate_priority_rank_is_refused():
    text = replace_once("    priority: 18\n", "    priority: 1\n")

    (problem,) = refused(text).problems

    measure_ids = [m["id"] for m in yaml.safe_load(TEXT)["measures"]]
    # M-GOV-01 comes first in the file and now holds rank 1, so M-BAK-01 is the duplicate.
    assert problem.path == f"measures[{measure_ids.index('M-BAK-01')}].priority"
    assert "M-GOV-01" in problem.message
    block = TEXT.index("  - id: M-BAK-01")
    assert problem.line == line_of(TEXT, "  - id: M-BAK-01") + TEXT.count(
        "\n", block, TEXT.index("    priority: 1\n", block)
    )


def test_theme_without_scored_question_is_refused():
    text = replace_once(
        "themes:\n",
        'themes:\n  - {id: unused, title: "Thème vide"}\n',
    )

    (problem,) = refused(text).problems

    assert problem.path == "themes[0].id"
    assert "unused" in problem.message


def test_first_advice_count_out_of_bounds_is_refused():
    text = TEXT.replace("first_advice: true", "first_advice: false")

    (problem,) = refused(text).problems

    assert problem.path == "questions"
    assert "entre 10 et 15" in problem.message


def test_measure_nobody_calls_at_level_one_is_refused():
    # Leave M-GOV-03 called at level 2 only: gov-03 and pos-06 now call M-GOV-01 when at worst.
    text = TEXT.replace("score: 1, measure: {id: M-GOV-03, level: 2}}", "score: 1}", 1)
    text = text.replace(
        '{id: none, label: "Non", score: 0, measure: {id: M-GOV-03, level: 1}}',
        '{id: none, label: "Non", score: 0, measure: {id: M-GOV-01, level: 1}}',
    )
    text = text.replace(
        '{id: routinely, label: "Oui, couramment", score: 0, measure: {id: M-GOV-03, level: 1}}',
        '{id: routinely, label: "Oui, couramment", score: 0, measure: {id: M-GOV-01, level: 1}}',
    )

    problems = refused(text).problems

    assert [p.message for p in problems if "M-GOV-03" in p.message]
    assert all("pire réponse" in p.message for p in problems)


def test_every_problem_is_listed_at_once():
    text = replace_once("    weight: 3\n", "    weight: -1\n")
    text = text.replace('version: "2024.1"', "version: 2024")

    error = refused(text)

    assert len(error.problems) == 2
    assert "problèmes : 2" in str(error)


def test_empty_and_non_mapping_files_are_refused():
    assert "vide" in str(refused(""))
    assert "clés" in str(refused("- a\n- b\n"))


# --- versions and fingerprint --------------------------------------------------------------


def test_fingerprint_ignores_layout_and_comments():
    referential = parse_referential(TEXT, source=SOURCE)
    as_json = parse_referential(referential.canonical_json(), source="copie.json")
    without_comments = "\n".join(
        line for line in TEXT.splitlines() if not line.lstrip().startswith("#")
    )

    assert as_json.fingerprint() == referential.fingerprint()
    assert (
        parse_referential(without_comments, source=SOURCE).fingerprint()
        == referential.fingerprint()
    )


def test_fingerprint_changes_with_content():
    referential = parse_referential(TEXT, source=SOURCE)
    changed = parse_referential(replace_once("    weight: 3\n", "    weight: 2\n"), source=SOURCE)

    assert changed.fingerprint() != referential.fingerprint()


def test_changed_content_under_the_same_version_is_refused():
    original = parse_referential(TEXT, source=SOURCE)
    changed = parse_referential(replace_once("    weight: 3\n", "    weight: 2\n"), source=SOURCE)

    with pytest.raises(ReferentialError, match="changez la version"):
        ensure_new_version(original, changed, source=SOURCE)


def test_changed_content_under_a_new_version_is_accepted():
    original = parse_referential(TEXT, source=SOURCE)
    text = replace_once("    weight: 3\n", "    weight: 2\n").replace('"2024.1"', '"2024.2"')
    changed = parse_referential(text, source=SOURCE)

    ensure_new_version(original, changed, source=SOURCE)
    ensure_new_version(original, original, source=SOURCE)


# --- fuzzing: any text is either a referential or a ReferentialError ----------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(TEXT) - 1), st.text(max_size=12))
def test_corrupted_file_is_loaded_or_refused_never_crashes(position, junk):
    text = TEXT[:position] + junk + TEXT[position + len(junk) :]

    try:
        parse_referential(text, source=SOURCE)
    except ReferentialError as error:
        assert error.problems
        assert all(p.message for p in error.problems)


# --- links to the platform's services -------------------------------------------------------


def test_every_awareness_module_a_measure_points_to_is_shipped():
    from mutualis.awareness.content import parse_module

    modules_dir = Path(__file__).resolve().parents[2] / "awareness" / "modules"
    shipped = {
        parse_module(path.read_text(encoding="utf-8"), source=path.name).slug
        for path in modules_dir.glob("*.md")
    }
    referential = load_referential(SHIPPED)

    refs = {ref for kind, ref in referential.service_links() if kind == "awareness_module"}
    assert refs, "the referential should point to awareness modules"
    assert refs <= shipped, sorted(refs - shipped)
