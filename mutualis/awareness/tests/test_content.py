"""Tests of the awareness module loader: the shipped modules, and every malformed file refused."""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutualis.awareness.content import (
    ModuleError,
    load_module,
    load_modules,
    parse_module,
    shipped_modules_directory,
)

EXPECTED_SLUGS = {
    "passwords",
    "phishing",
    "updates",
    "backups",
    "mobile",
    "email",
    "social-engineering",
    "incident",
    "personal-data",
}

VALID = """\
---
slug: essai
title: Module d'essai
summary: Un module pour les tests.
duration_minutes: 12
version: 1
pass_mark: 70
order: 1
---

## Première section

Du texte **important**.

## Deuxième section

- un point
- un autre

```exercise
id: facture
title: La facture
kind: email
message:
  from: "Compta <compta@fournisseur-paiement.example>"
  to: mairie@mairie-exemple.example
  subject: Facture de mars
  body: |
    Bonjour, payez avant ce soir sur le nouveau compte.
signs:
  - id: expediteur
    field: from
    text: fournisseur-paiement.example
    explanation: Domaine inconnu.
  - id: urgence
    field: body
    text: avant ce soir
    explanation: Urgence.
decoys:
  - id: objet
    field: subject
    text: Facture
    explanation: Banal.
```

```quiz
- id: q1
  kind: single
  question: Que faire ?
  choices:
    - id: a
      text: Vérifier
      correct: true
      explanation: Oui.
    - id: b
      text: Payer
      correct: false
      explanation: Non.
- id: q2
  kind: multiple
  question: Quels signes ?
  choices:
    - id: a
      text: Urgence
      correct: true
      explanation: Oui.
    - id: b
      text: Secret
      correct: true
      explanation: Oui.
    - id: c
      text: Politesse
      correct: false
      explanation: Non.
```
"""


def _line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing fragment."""
    hits = [n for n, line in enumerate(text.split("\n"), start=1) if fragment in line]
    return hits[occurrence - 1]


def _refused(text: str) -> ModuleError:
    with pytest.raises(ModuleError) as caught:
        parse_module(text, source="modules/essai.md")
    return caught.value


# --- The shipped modules ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_modules(shipped_modules_directory())


def test_all_nine_shipped_modules_load(shipped):
    assert {module.slug for module in shipped} == EXPECTED_SLUGS


def test_shipped_modules_are_sorted_by_order_with_distinct_orders(shipped):
    orders = [module.order for module in shipped]
    assert orders == sorted(orders)
    assert len(set(orders)) == len(orders)


def test_each_shipped_module_lasts_10_to_20_minutes_and_has_4_to_7_sections(shipped):
    for module in shipped:
        assert 10 <= module.duration_minutes <= 20, module.slug
        assert 4 <= len(module.sections) <= 7, module.slug


def test_each_shipped_quiz_has_6_to_10_questions_mixing_single_and_multiple(shipped):
    for module in shipped:
        assert 6 <= len(module.quiz) <= 10, module.slug
        assert {question.kind for question in module.quiz} == {"single", "multiple"}, module.slug
        for question in module.quiz:
            assert all(choice.explanation for choice in question.choices)


def test_shipped_modules_have_at_least_12_exercises_across_7_modules(shipped):
    assert sum(len(module.exercises) for module in shipped) >= 12
    assert sum(1 for module in shipped if module.exercises) >= 7


def test_every_shipped_exercise_has_signs_and_one_or_two_decoys(shipped):
    kinds = set()
    for module in shipped:
        for exercise in module.exercises:
            kinds.add(exercise.kind)
            assert exercise.signs, exercise.id
            assert 1 <= len(exercise.decoys) <= 2, exercise.id
            assert exercise.debrief, exercise.id
    assert kinds == {"email", "sms", "webpage"}


def test_shipped_exercises_only_use_reserved_example_domains(shipped):
    host = re.compile(r"(?:@|https?://)([A-Za-z0-9.-]+)")
    for module in shipped:
        for exercise in module.exercises:
            for value in exercise.message.values():
                for domain in host.findall(value):
                    assert domain.endswith(".example"), (exercise.id, domain)


def test_shipped_content_uses_vouvoiement(shipped):
    tutoiement = re.compile(r"\b(tu|toi|tes|t'as)\b", re.IGNORECASE)
    for path in Path(shipped_modules_directory()).glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not tutoiement.search(text), (path.name, tutoiement.search(text))


def test_shipped_section_html_is_rendered(shipped):
    for module in shipped:
        for section in module.sections:
            assert section.html.startswith("<"), (module.slug, section.title)
            assert "<script" not in section.html


# --- A valid file and its rendering ----------------------------------------------------------


def test_valid_module_is_parsed_with_lines_and_offsets():
    module = parse_module(VALID, source="essai.md")
    assert [section.title for section in module.sections] == [
        "Première section",
        "Deuxième section",
    ]
    assert module.sections[0].line == _line_of(VALID, "## Première section")
    assert "<strong>important</strong>" in module.sections[0].html
    exercise = module.exercises[0]
    assert exercise.line == _line_of(VALID, "```exercise")
    sign = exercise.signs[0]
    assert exercise.message["from"][sign.start : sign.end] == "fournisseur-paiement.example"
    assert not exercise.message["body"].endswith("\n")
    assert module.quiz[1].correct_ids == {"a", "b"}


def test_section_html_is_sanitised():
    text = VALID.replace(
        "Du texte **important**.",
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [lien](javascript:alert(3))',
    )
    html = parse_module(text, source="essai.md").sections[0].html
    assert "<script" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert "javascript:" not in html


def test_untagged_code_block_stays_in_the_lesson_and_hides_its_headings():
    text = VALID.replace("- un autre\n", "- un autre\n\n```\n## pas une section\n```\n")
    module = parse_module(text, source="essai.md")
    assert len(module.sections) == 2
    assert "## pas une section" in module.sections[1].markdown
    assert "<pre><code>## pas une section" in module.sections[1].html


def test_dates_in_messages_stay_text():
    text = VALID.replace(
        "  subject: Facture de mars\n", "  subject: Facture de mars\n  date: 2024-03-12\n"
    )
    exercise = parse_module(text, source="essai.md").exercises[0]
    assert exercise.message["date"] == "2024-03-12"
    assert list(exercise.message) == ["from", "to", "date", "subject", "body"]


def test_crlf_files_are_read_like_lf_files():
    module = parse_module(VALID.replace("\n", "\r\n"), source="essai.md")
    assert module.slug == "essai"
    assert module.exercises[0].message["body"].count("\r") == 0


# --- Malformed files: refused with file, line and problem ------------------------------------

SIGNS_BLOCK = VALID[VALID.index("signs:\n") : VALID.index("decoys:")]
DECOY = "  - id: objet\n    field: subject\n    text: Facture\n    explanation: Banal.\n"
CHOICE_B = "    - id: b\n      text: Payer\n      correct: false\n      explanation: Non.\n"
EXERCISE_BLOCK = VALID[VALID.index("```exercise") : VALID.index("```quiz")]


def _sub(old: str, new: str):
    return lambda text: text.replace(old, new)


def _cut(start: str, end: str | None = None, insert: str = ""):
    """Replace the text from `start` up to `end` (or the end of the file) with `insert`."""
    return lambda text: (
        text[: text.index(start)] + insert + (text[text.index(end) :] if end else "")
    )


# (case, mutation of VALID, fragment of the expected line (None: line 1), part of the message)
MALFORMED = [
    ("no front matter", _sub("---\n", ""), None, "en-tête YAML"),
    ("unclosed front matter", _sub("order: 1\n---", "order: 1\n"), None, "jamais fermé"),
    (
        "front matter syntax",
        _sub("title: Module d'essai", "title: [M"),
        "title: [",
        "YAML invalide",
    ),
    ("colon in plain text", _sub("summary: Un", "summary: Un : un"), "summary:", "guillemets"),
    ("missing key", _sub("pass_mark: 70\n", ""), "slug: essai", "« pass_mark » manquante"),
    ("unknown key", _sub("order: 1", "order: 1\nauteur: moi"), "auteur:", "« auteur » inconnue"),
    ("wrong type", _sub("duration_minutes: 12", "duration_minutes: douze"), "duration", "entier"),
    ("pass mark above 100", _sub("pass_mark: 70", "pass_mark: 150"), "pass_mark", "égal à 100"),
    ("pass mark below 0", _sub("pass_mark: 70", "pass_mark: -5"), "pass_mark", "égal à 0"),
    ("bad slug", _sub("slug: essai", "slug: Essai Module"), "slug:", "minuscules"),
    (
        "front matter not a mapping",
        _cut("---\n", "---\n\n", "---\njuste du texte\n"),
        "juste du texte",
        "tableau « clé: valeur »",
    ),
    (
        "text before first section",
        _sub("## Première", "Introduction\n\n## Première"),
        "Introduction",
        "précède la première section",
    ),
    ("level-1 heading", _sub("## Deuxième", "# Deuxième"), "# Deuxième", "niveau 1"),
    (
        "empty section",
        _sub("## Deuxième", "## Vide\n\n## Deuxième"),
        "## Vide",
        "« Vide » est vide",
    ),
    ("empty heading", _sub("## Deuxième section", "##   "), "##   ", "titre de section vide"),
    ("misspelt block", _sub("```exercise", "```exercice"), "```exercice", "« exercice »"),
    ("unclosed block", lambda t: t.rstrip("\n").removesuffix("```"), "```quiz", "jamais fermé"),
    ("no quiz", _cut("```quiz"), "```", "pas de bloc quiz"),
    ("two quizzes", lambda t: t + "\n```quiz\n- id: q9\n```\n", "```quiz", "un seul bloc quiz"),
    (
        "exercise syntax error",
        _sub("title: La facture", "title: La facture\n  mal: indenté"),
        "  mal: indenté",
        "YAML invalide",
    ),
    ("unknown exercise kind", _sub("kind: email", "kind: fax"), "kind: fax", "'sms' ou 'webpage'"),
    (
        "misspelt key",
        _sub("explanation: Domaine", "explication: Domaine"),
        "explication:",
        "signe 1 : clé « explication » inconnue",
    ),
    (
        "missing explanation",
        _sub("    explanation: Urgence.\n", ""),
        "- id: urgence",
        "signe 2 : clé « explanation » manquante",
    ),
    ("field not allowed for kind", _sub("kind: email", "kind: sms"), "  to: mairie", "« to »"),
    (
        "required field missing",
        lambda t: t.replace("  subject: Facture de mars\n", "").replace("decoys:\n" + DECOY, ""),
        "message:",
        "« subject » est obligatoire",
    ),
    ("span not in field", _sub("text: avant ce soir", "text: avant demain"), "demain", "ne figure"),
    ("span on absent field", _sub("field: subject", "field: cc"), "field: cc", "absent du message"),
    ("ambiguous span", _sub("text: avant ce soir", "text: e"), "text: e", "allongez-le"),
    (
        "overlapping spans",
        _sub("field: subject\n    text: Facture", "field: body\n    text: ce soir"),
        "- id: objet",
        "chevauche",
    ),
    ("duplicate span id", _sub("id: objet", "id: expediteur"), "- id: expediteur", "en double"),
    ("no sign", _sub(SIGNS_BLOCK, "signs: []\n"), "signs: []", "au moins 1"),
    (
        "yaml alias",
        _sub("    explanation: Banal.", "    explanation: &x Banal.\n    extra: *x"),
        "explanation: &x",
        "alias",
    ),
    (
        "exercise not a mapping",
        _sub(EXERCISE_BLOCK, "```exercise\n- facture\n```\n\n"),
        "- facture",
        "tableau « clé: valeur »",
    ),
    (
        "quiz not a list",
        _cut("```quiz", None, "```quiz\nquestion: Que faire ?\n```\n"),
        "question: Que",
        "liste de questions",
    ),
    (
        "no correct answer",
        _sub("Vérifier\n      correct: true", "Vérifier\n      correct: false"),
        "- id: q1",
        "aucune bonne réponse",
    ),
    (
        "single with two correct",
        _sub("Payer\n      correct: false", "Payer\n      correct: true"),
        "- id: q1",
        "2 bonnes réponses",
    ),
    ("bad question kind", _sub("kind: multiple", "kind: plus"), "kind: plus", "'single' ou"),
    (
        "correct not a boolean",
        _sub("Politesse\n      correct: false", "Politesse\n      correct: peut-être"),
        "correct: peut-être",
        "true ou false",
    ),
    ("choice text read as boolean", _sub("text: Payer", "text: no"), "text: no", "guillemets"),
    ("one choice only", _sub(CHOICE_B, ""), "  choices:", "au moins 2"),
    ("duplicate question id", _sub("- id: q2", "- id: q1"), "- id: q1", "« q1 » en double"),
    (
        "duplicate choice id",
        _sub("    - id: c\n", "    - id: a\n"),
        "    - id: a",
        "« a » en double",
    ),
    (
        "duplicate exercise id",
        _sub("```quiz", EXERCISE_BLOCK + "```quiz"),
        "```exercise",
        "« facture » en double",
    ),
]

# Cases whose fragment occurs on several lines: which occurrence is the expected line.
OCCURRENCE = {
    "two quizzes": 2,
    "duplicate question id": 2,
    "duplicate span id": 2,
    "duplicate exercise id": 2,
    "duplicate choice id": 3,
    "no quiz": 2,
}


@pytest.mark.parametrize(
    ("case", "mutate", "fragment", "problem"), MALFORMED, ids=[case[0] for case in MALFORMED]
)
def test_malformed_module_is_refused_with_file_line_and_problem(case, mutate, fragment, problem):
    text = mutate(VALID)
    assert text != VALID, "the mutation must change the file"
    error = _refused(text)
    expected_line = 1 if fragment is None else _line_of(text, fragment, OCCURRENCE.get(case, 1))
    assert error.source == "modules/essai.md"
    # A mistake may cause more than one problem (a misspelt key is also a missing one): the
    # expected problem must be among them, at its line.
    assert any(line == expected_line and problem in message for line, message in error.problems), (
        str(error)
    )
    assert f"modules/essai.md, ligne {expected_line} : " in str(error)


def test_overlapping_spans_name_both_texts():
    error = _refused(
        VALID.replace("field: subject\n    text: Facture", "field: body\n    text: ce soir")
    )
    assert "« ce soir » chevauche le passage « avant ce soir »" in error.message


def test_several_schema_problems_are_all_reported():
    text = VALID.replace("pass_mark: 70", "pass_mark: 170").replace("order: 1", "order: premier")
    error = _refused(text)
    assert [line for line, _ in error.problems] == [
        _line_of(text, "pass_mark"),
        _line_of(text, "order:"),
    ]


def test_load_module_names_the_file(tmp_path):
    path = tmp_path / "casse.md"
    path.write_text(VALID.replace("pass_mark: 70", "pass_mark: 101"), encoding="utf-8")
    with pytest.raises(ModuleError) as caught:
        load_module(path)
    assert str(caught.value).startswith(f"{path}, ligne 7 : ")


def test_non_utf8_file_is_refused_at_the_line_of_the_bad_byte(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes(VALID.replace("Première", "Premi\xe8re").encode("latin-1"))
    with pytest.raises(ModuleError) as caught:
        load_module(path)
    assert caught.value.line == _line_of(VALID, "## Première section")
    assert "UTF-8" in caught.value.message


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ModuleError, match="impossible de lire"):
        load_module(tmp_path / "absent.md")


def test_two_modules_with_the_same_slug_are_refused(tmp_path):
    (tmp_path / "a.md").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.md").write_text(VALID.replace("order: 1", "order: 2"), encoding="utf-8")
    with pytest.raises(ModuleError) as caught:
        load_modules(tmp_path)
    assert caught.value.source == str(tmp_path / "b.md")
    assert caught.value.line == _line_of(VALID, "slug:")
    assert "existe déjà" in caught.value.message


def test_empty_directory_is_refused(tmp_path):
    with pytest.raises(ModuleError, match="aucun module"):
        load_modules(tmp_path)


# --- Fuzzing: nothing but ModuleError escapes ------------------------------------------------


def _parse_or_refuse(text: str) -> None:
    try:
        parse_module(text, source="fuzz.md")
    except ModuleError as error:
        assert error.line >= 1
        assert error.message


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_module_error(text):
    _parse_or_refuse(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-:#`\n &*[]{}|>!'\"ab1 ")), max_size=300))
def test_yaml_and_markdown_punctuation_raises_only_module_error(body):
    _parse_or_refuse(body)
    _parse_or_refuse(VALID[: VALID.index("## Première")] + body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_valid_module_raises_only_module_error(data):
    start = data.draw(st.integers(0, len(VALID)))
    end = data.draw(st.integers(start, min(len(VALID), start + 40)))
    insert = data.draw(st.text(max_size=20))
    _parse_or_refuse(VALID[:start] + insert + VALID[end:])
