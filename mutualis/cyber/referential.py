"""Load and validate the cybersecurity diagnostic referential, a versioned YAML file of themes,
questions, answers and remediation measures that a coordinator edits without touching code.

File shape (see ``referentials/diagnostic-2024.yaml`` for the real thing)::

    version: "2024.1"               # text; raise it whenever the content changes
    title: Diagnostic cybersécurité de premier niveau
    review_after_months: 6          # the follow-up check-in, in months
    sources: ["ANSSI — Guide d'hygiène informatique", ...]
    maturity_levels:                # numbered 1, 2, 3...; min_score (0–100) strictly increasing,
      - {level: 1, label: Initial, min_score: 0, description: "..."}   # the first one at 0
    themes:
      - {id: governance, title: Gouvernance, description: "..."}
    questions:
      - id: gov-01
        theme: governance
        text: Une personne est-elle chargée de la sécurité informatique ?
        help: Pourquoi on le demande, où trouver la réponse.      # optional
        weight: 2                   # 0 = context question: no score, no measure
        first_advice: true          # asked in the short self-assessment (10 to 15 questions)
        shown_if: {question: ctx-01, answers: [oui]}   # optional: a follow-up question
        answers:
          - {id: oui, label: "Oui", score: 3}
          - {id: non, label: "Non", score: 0, measure: {id: M-GOV-01, level: 1}}
          - {id: dont_know, label: "Je ne sais pas"}   # required on scored questions, no score
    measures:
      - id: M-GOV-01
        theme: governance
        title: ...
        why: ...
        levels:
          - {level: 1, how: "..."}  # essentiel
          - {level: 2, how: "..."}  # renforcé (optional)
        priority: 12                # unique rank, 1 = most urgent
        effort: low                 # low | medium | high
        cost: none                  # none | low | medium | high
        actors: [commune, referent] # commune | referent | supplier
        helped_by: [{kind: awareness_module, ref: phishing}, {kind: support}]
        advanced_only: false        # only the advanced offer's referent delivers it

Rules checked beyond the shape: identifiers are unique; every answer of a scored question is scored
0 to 3 except ``dont_know``; a scored question has a best answer (3) calling no measure and a
worst answer (0) calling its measure at level 1; a measure called exists at that level; a follow-up
points to an earlier question and to answers it has; priority ranks are unique; every theme has a
scored question; 10 to 15 questions are flagged for the first advice; and the all-worst answers
call every measure at level 1.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationError

DONT_KNOW = "dont_know"
SCORE_MIN = 0
SCORE_MAX = 3
FIRST_ADVICE_MIN = 10
FIRST_ADVICE_MAX = 15

# Every French message a person may read, in one place so the lead can wrap them for translation.
MESSAGES: dict[str, str] = {
    "header": "Le référentiel « {source} » est invalide (problèmes : {count}) :",
    "at_line": "ligne {line}",
    "whole_file": "fichier",
    "file_unreadable": "impossible de lire le fichier : {error}",
    "yaml_syntax": "erreur de syntaxe YAML : {problem}",
    "yaml_character": "caractère de contrôle interdit ({code}) : supprimez-le",
    "yaml_tab": "tabulation interdite, indentez avec des espaces",
    "yaml_colon": "deux-points inattendu : mettez le texte entre guillemets",
    "yaml_indent": "indentation incohérente avec les lignes précédentes",
    "yaml_unclosed": "crochet, accolade ou guillemet non refermé",
    "empty": "le fichier est vide",
    "root_not_mapping": "le fichier doit commencer par des clés (version, title, themes…)",
    "duplicate_key": "la clé « {key} » est écrite deux fois (la première ligne {first})",
    "missing": "clé obligatoire absente",
    "extra_forbidden": "clé inconnue (faute de frappe ?)",
    "string_type": "un texte est attendu, pas {got}",
    "bool_as_string": "un texte est attendu ; « yes », « no », « on », « off » sont lus comme "
    "oui/non en YAML : mettez la valeur entre guillemets",
    "int_type": "un nombre entier est attendu, pas {got}",
    "bool_type": "true ou false est attendu, pas {got}",
    "list_type": "une liste est attendue, pas {got}",
    "mapping_type": "un ensemble de clés est attendu, pas {got}",
    "too_short": "trop peu d'éléments (minimum : {min})",
    "too_long": "trop d'éléments (maximum : {max})",
    "empty_string": "le texte ne peut pas être vide",
    "pattern": "la valeur « {value} » ne respecte pas le format attendu ({pattern})",
    "ge": "la valeur doit être au moins {limit}",
    "le": "la valeur doit être au plus {limit}",
    "literal": "valeur « {value} » inconnue ; valeurs possibles : {expected}",
    "invalid": "valeur invalide ({detail})",
    "duplicate_id": "l'identifiant « {id} » est déjà utilisé par {other}",
    "unknown_theme": "le thème « {id} » n'existe pas dans themes",
    "unknown_measure": "la mesure « {id} » n'existe pas dans measures",
    "unknown_measure_level": "la mesure « {id} » n'a pas de niveau {level}",
    "measure_needs_level_1": "une mesure doit avoir un niveau 1 (essentiel)",
    "duplicate_level": "le niveau {level} est décrit deux fois",
    "unknown_question": "la question « {id} » n'existe pas",
    "later_question": "la question « {id} » doit être placée avant la question qui en dépend",
    "self_reference": "une question ne peut pas dépendre d'elle-même",
    "unknown_answer": "la question « {question} » n'a pas de réponse « {id} »",
    "missing_dont_know": "une question notée doit proposer la réponse « dont_know » "
    "(Je ne sais pas)",
    "dont_know_scored": "la réponse « dont_know » ne compte pas : ni score ni mesure",
    "missing_score": "chaque réponse d'une question notée doit avoir un score de 0 à 3",
    "context_scored": "une question de contexte (poids 0) ne note pas ses réponses : "
    "retirez le score ou donnez un poids à la question",
    "context_measure": "une question de contexte (poids 0) n'appelle pas de mesure",
    "no_best_answer": "une question notée doit avoir une réponse de score 3",
    "no_worst_answer": "une question notée doit avoir une réponse de score 0",
    "best_calls_measure": "une réponse de score 3 n'appelle pas de mesure",
    "worst_without_measure": "une réponse de score 0 doit appeler une mesure au niveau 1",
    "unused_theme": "le thème « {id} » n'a aucune question notée",
    "duplicate_priority": "le rang de priorité {rank} est déjà celui de la mesure « {other} »",
    "first_advice_count": "questions marquées first_advice : {count} ; il en faut entre "
    "{min} et {max}",
    "first_advice_parent": "cette question est posée au premier conseil mais dépend de "
    "« {parent} », qui ne l'est pas",
    "service_ref_required": "le service « {kind} » demande une référence (ref)",
    "maturity_sequence": "les niveaux de maturité doivent être numérotés 1, 2, 3… dans l'ordre",
    "maturity_first": "le premier niveau de maturité doit commencer à 0",
    "maturity_increasing": "les seuils de maturité doivent augmenter strictement",
    "uncovered_measure": "la mesure « {id} » n'est appelée au niveau 1 par la pire réponse "
    "d'aucune question visible : le pire diagnostic ne la proposerait pas",
    "version_unchanged": "le contenu du référentiel a changé mais sa version « {version} » "
    "est restée la même : changez la version",
}

LEVEL_LABELS: dict[int, str] = {1: "Essentiel", 2: "Renforcé"}
EFFORT_LABELS: dict[str, str] = {
    "low": "Faible (moins d'une journée)",
    "medium": "Moyen (quelques jours)",
    "high": "Important (un projet)",
}
COST_LABELS: dict[str, str] = {
    "none": "Sans coût (temps interne)",
    "low": "Moins de 500 €",
    "medium": "De 500 à 5 000 €",
    "high": "Plus de 5 000 €",
}
ACTOR_LABELS: dict[str, str] = {
    "commune": "La commune",
    "referent": "Le référent",
    "supplier": "Le prestataire",
}
SERVICE_LABELS: dict[str, str] = {
    "awareness_module": "Module de sensibilisation",
    "purchasing": "Offre d'achat mutualisé",
    "support": "Accompagnement",
    "information": "Information et veille",
}

# Pydantic's own message types mapped to ours; an unknown type falls back to "invalid".
_PYDANTIC_CODES = {
    "missing": "missing",
    "extra_forbidden": "extra_forbidden",
    "string_type": "string_type",
    "int_type": "int_type",
    "bool_type": "bool_type",
    "list_type": "list_type",
    "tuple_type": "list_type",
    "dict_type": "mapping_type",
    "model_type": "mapping_type",
    "model_attributes_type": "mapping_type",
    "too_short": "too_short",
    "too_long": "too_long",
    "string_too_short": "empty_string",
    "string_pattern_mismatch": "pattern",
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "literal_error": "literal",
}

_TYPE_NAMES = {
    bool: "un booléen",
    int: "un nombre entier",
    float: "un nombre décimal",
    str: "un texte",
    list: "une liste",
    dict: "un ensemble de clés",
    type(None): "une valeur vide",
}


class Problem(BaseModel):
    """One thing wrong with a referential file: where, and why in French."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        line = MESSAGES["at_line"].format(line=self.line) if self.line is not None else ""
        if not self.path:
            return f"{line or MESSAGES['whole_file']} : {self.message}"
        return f"{self.path} ({line}) : {self.message}" if line else f"{self.path} : {self.message}"


class ReferentialError(ValueError):
    """A referential file that cannot be used; ``problems`` lists every fault found."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [MESSAGES["header"].format(source=source, count=len(self.problems))]
        lines += [f"- {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


Text = Annotated[str, Strict(), StringConstraints(min_length=1)]
OptionalText = Annotated[str, Strict()]
ThemeId = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
QuestionId = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9]*-[0-9]{2}$")]
AnswerId = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
MeasureId = Annotated[str, Strict(), StringConstraints(pattern=r"^M-[A-Z]+-[0-9]{2}$")]
Slug = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Level = Annotated[int, Strict(), Field(ge=1, le=2)]
Score = Annotated[int, Strict(), Field(ge=SCORE_MIN, le=SCORE_MAX)]


class _Model(BaseModel):
    # Lax mode so YAML lists become tuples; scalars are made strict field by field instead.
    model_config = ConfigDict(frozen=True, extra="forbid")


class MaturityLevel(_Model):
    level: Annotated[int, Strict(), Field(ge=1)]
    label: Text
    min_score: Annotated[int, Strict(), Field(ge=0, le=100)]
    description: OptionalText = ""


class Theme(_Model):
    id: ThemeId
    title: Text
    description: OptionalText = ""


class MeasureCall(_Model):
    id: MeasureId
    level: Level


class Answer(_Model):
    id: AnswerId
    label: Text
    score: Score | None = None
    measure: MeasureCall | None = None


class ShownIf(_Model):
    question: QuestionId
    answers: Annotated[tuple[AnswerId, ...], Field(min_length=1)]


class Question(_Model):
    id: QuestionId
    theme: ThemeId
    text: Text
    help: OptionalText = ""
    weight: Annotated[int, Strict(), Field(ge=0)]
    first_advice: Annotated[bool, Strict()] = False
    shown_if: ShownIf | None = None
    answers: Annotated[tuple[Answer, ...], Field(min_length=2)]

    @property
    def is_scored(self) -> bool:
        """A question of weight 0 only describes the commune (context) and counts for nothing."""
        return self.weight > 0

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)

    def scored_answers(self) -> tuple[Answer, ...]:
        return tuple(a for a in self.answers if a.score is not None)


class MeasureLevel(_Model):
    level: Level
    how: Text


class ServiceLink(_Model):
    kind: Literal["awareness_module", "purchasing", "support", "information"]
    ref: Slug | None = None


class Measure(_Model):
    id: MeasureId
    theme: ThemeId
    title: Text
    why: Text
    levels: Annotated[tuple[MeasureLevel, ...], Field(min_length=1, max_length=2)]
    priority: Annotated[int, Strict(), Field(ge=1)]
    effort: Literal["low", "medium", "high"]
    cost: Literal["none", "low", "medium", "high"]
    actors: Annotated[tuple[Literal["commune", "referent", "supplier"], ...], Field(min_length=1)]
    helped_by: tuple[ServiceLink, ...] = ()
    advanced_only: Annotated[bool, Strict()] = False

    def how(self, level: int) -> str:
        return next(item.how for item in self.levels if item.level == level)

    def has_level(self, level: int) -> bool:
        return any(item.level == level for item in self.levels)


class Referential(_Model):
    version: Annotated[str, Strict(), StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")]
    title: Text
    review_after_months: Annotated[int, Strict(), Field(ge=1)] = 6
    sources: tuple[Text, ...] = ()
    maturity_levels: Annotated[tuple[MaturityLevel, ...], Field(min_length=1)]
    themes: Annotated[tuple[Theme, ...], Field(min_length=1)]
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]
    measures: Annotated[tuple[Measure, ...], Field(min_length=1)]

    @cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _measures_by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    def theme(self, theme_id: str) -> Theme:
        return self._themes_by_id[theme_id]

    def question(self, question_id: str) -> Question:
        return self._questions_by_id[question_id]

    def measure(self, measure_id: str) -> Measure:
        return self._measures_by_id[measure_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions_by_id

    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.is_scored)

    def first_advice_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.first_advice)

    def maturity_for(self, score: float) -> MaturityLevel:
        """The highest maturity level whose threshold the score (0–100) reaches."""
        reached = [m for m in self.maturity_levels if score >= m.min_score]
        return reached[-1] if reached else self.maturity_levels[0]

    def visible_questions(self, answers: Mapping[str, str]) -> tuple[Question, ...]:
        """Questions shown for these answers: a follow-up shows when its parent is shown and
        answered with one of the listed answers (parents come first, so one pass suffices)."""
        shown: set[str] = set()
        for question in self.questions:
            condition = question.shown_if
            if condition is None or (
                condition.question in shown and answers.get(condition.question) in condition.answers
            ):
                shown.add(question.id)
        return tuple(q for q in self.questions if q.id in shown)

    def worst_answers(self) -> dict[str, str]:
        """The lowest-scored answer of every question visible along the way; context questions
        take the answer that shows the most follow-ups, so that the worst case asks everything."""
        return self._extreme_answers(worst=True)

    def best_answers(self) -> dict[str, str]:
        """The highest-scored answer of every visible question (context chosen as for the worst)."""
        return self._extreme_answers(worst=False)

    def _extreme_answers(self, *, worst: bool) -> dict[str, str]:
        chosen: dict[str, str] = {}
        for question in self.questions:
            if question.id not in {q.id for q in self.visible_questions(chosen)}:
                continue
            if question.is_scored:
                scored = question.scored_answers()
                pick = min if worst else max
                chosen[question.id] = pick(scored, key=lambda a: a.score or 0).id
            else:
                chosen[question.id] = max(
                    question.answers, key=lambda a: self._followups_shown_by(question.id, a.id)
                ).id
        return chosen

    def _followups_shown_by(self, question_id: str, answer_id: str) -> int:
        return sum(
            1
            for q in self.questions
            if q.shown_if and q.shown_if.question == question_id and answer_id in q.shown_if.answers
        )

    def service_links(self) -> set[tuple[str, str | None]]:
        """Every (kind, ref) the measures point to, for the platform to check they exist."""
        return {(link.kind, link.ref) for m in self.measures for link in m.helped_by}

    def canonical_json(self) -> str:
        """The content as sorted, compact JSON: comments, key order and layout do not count."""
        data = self.model_dump(mode="json")
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def fingerprint(self) -> str:
        """sha256 of the canonical content, to store beside a version and detect change."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def load_referential(path: str | Path) -> Referential:
    """Read and validate a referential file; raise ReferentialError naming the file on any fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem(
            path="", line=None, message=MESSAGES["file_unreadable"].format(error=error)
        )
        raise ReferentialError(str(path), [problem]) from error
    return parse_referential(text, source=str(path))


def parse_referential(text: str, *, source: str) -> Referential:
    """Validate referential text (YAML, or JSON which YAML reads too); ``source`` names it in
    messages. Every problem found is listed, each with its key path and, where known, its line."""
    root, data = _read_yaml(text, source)
    problems = _duplicate_keys(root)
    if problems:
        raise ReferentialError(source, problems)
    if not isinstance(data, dict):
        raise ReferentialError(
            source, [Problem(path="", line=1, message=MESSAGES["root_not_mapping"])]
        )
    try:
        referential = Referential.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        # A list whose only item is invalid is also reported as too short; the item says it all.
        inner = {tuple(e["loc"][:-1]) for e in errors if len(e["loc"]) > 1}
        errors = [e for e in errors if not (e["type"] == "too_short" and tuple(e["loc"]) in inner)]
        problems = [_problem_from_pydantic(item, root) for item in errors]
        raise ReferentialError(source, problems) from None
    problems = [
        Problem(path=_format_path(loc), line=_line_of(root, loc), message=message)
        for loc, message in _cross_check(referential)
    ]
    if problems:
        raise ReferentialError(source, problems)
    return referential


def ensure_new_version(previous: Referential, current: Referential, *, source: str) -> None:
    """Refuse a changed referential that kept its version, since finished diagnostics are tied
    to a version and must keep scoring as they did."""
    if previous.version == current.version and previous.fingerprint() != current.fingerprint():
        message = MESSAGES["version_unchanged"].format(version=current.version)
        raise ReferentialError(source, [Problem(path="version", line=None, message=message)])


# --- reading YAML with positions ------------------------------------------------------------


def _read_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    # libyaml is ten times faster; on a fault the pure-Python loader reads the text again so the
    # message and line do not depend on whether libyaml is installed.
    fast_loader = getattr(yaml, "CSafeLoader", None)
    if fast_loader is not None:
        try:
            loader = fast_loader(text)
            try:
                root = loader.get_single_node()
                if root is not None:
                    return root, loader.construct_document(root)
            finally:
                loader.dispose()
        except yaml.YAMLError:
            pass
    return _compose(text, source, yaml.SafeLoader)


def _compose(text: str, source: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    loader = None
    try:
        loader = loader_class(text)
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        message = MESSAGES["yaml_character"].format(code=f"U+{error.character:04X}")
        raise ReferentialError(source, [Problem(path="", line=line, message=message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or str(error)
        message = MESSAGES["yaml_syntax"].format(problem=_explain_yaml(problem))
        raise ReferentialError(source, [Problem(path="", line=line, message=message)]) from None
    except yaml.YAMLError as error:
        message = MESSAGES["yaml_syntax"].format(problem=error)
        raise ReferentialError(source, [Problem(path="", line=None, message=message)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise ReferentialError(source, [Problem(path="", line=None, message=MESSAGES["empty"])])
    return root, data


# PyYAML explains in English; the commonest faults get a French explanation, the rest keep
# PyYAML's words so nothing is lost.
_YAML_HINTS = (
    ("'\\t'", "yaml_tab"),
    ("mapping values are not allowed", "yaml_colon"),
    ("expected <block end>", "yaml_indent"),
    ("expected ',' or ']'", "yaml_unclosed"),
    ("expected ',' or '}'", "yaml_unclosed"),
    ("while scanning a quoted scalar", "yaml_unclosed"),
    ("found unexpected end of stream", "yaml_unclosed"),
)


def _explain_yaml(problem: str) -> str:
    for needle, code in _YAML_HINTS:
        if needle in problem:
            return f"{MESSAGES[code]} ({problem})"
    return problem


def _duplicate_keys(node: yaml.Node | None, loc: tuple[str | int, ...] = ()) -> list[Problem]:
    # PyYAML silently keeps the last of two equal keys; a coordinator would lose content unseen.
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key is not None and key in seen:
                message = MESSAGES["duplicate_key"].format(key=key, first=seen[key])
                problems.append(Problem(path=_format_path((*loc, key)), line=line, message=message))
            elif key is not None:
                seen[key] = line
            problems += _duplicate_keys(value_node, (*loc, key if key is not None else "?"))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, (*loc, index))
    return problems


def _line_of(root: yaml.Node | None, loc: Sequence[str | int]) -> int | None:
    """The line of the deepest node the path reaches (a missing key points at its parent)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    child = value_node
                    line = key_node.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _format_path(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem_from_pydantic(error: Mapping[str, Any], root: yaml.Node | None) -> Problem:
    # Pydantic adds union branch names (e.g. "int") or tagged steps to loc; keep only real keys.
    loc = tuple(
        part for part in error["loc"] if isinstance(part, int) or not _is_pydantic_step(part)
    )
    code = _PYDANTIC_CODES.get(error["type"], "invalid")
    value = error.get("input")
    context = error.get("ctx") or {}
    if code == "string_type" and isinstance(value, bool):
        message = MESSAGES["bool_as_string"]
    else:
        message = MESSAGES[code].format(
            got=_describe(value),
            min=context.get("min_length", ""),
            max=context.get("max_length", ""),
            value=value,
            pattern=context.get("pattern", ""),
            limit=context.get("ge", context.get("le", "")),
            expected=str(context.get("expected", "")).replace(" or ", " ou "),
            detail=error.get("msg", ""),
        )
    return Problem(path=_format_path(loc), line=_line_of(root, loc), message=message)


def _is_pydantic_step(part: str) -> bool:
    # Union members show up in loc as their type name (``int``, ``MeasureCall``...); field names
    # in the file are snake_case, so a capitalised or known type name is never one of ours.
    return part in {"int", "str", "bool", "none", "constrained-str", "constrained-int"} or (
        part[:1].isupper()
    )


def _describe(value: object) -> str:
    text = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, (bool, int, float, str)):
        shown = str(value) if len(str(value)) <= 40 else str(value)[:37] + "…"
        text += f" ({shown})"
    return text


# --- cross-checks -------------------------------------------------------------------------


def _cross_check(ref: Referential) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    problems += _check_unique_ids(ref)
    problems += _check_maturity(ref)
    theme_ids = {t.id for t in ref.themes}
    measures = {m.id: m for m in ref.measures}
    position = {q.id: index for index, q in enumerate(ref.questions)}

    for qi, question in enumerate(ref.questions):
        here: tuple[str | int, ...] = ("questions", qi)
        if question.theme not in theme_ids:
            message = MESSAGES["unknown_theme"].format(id=question.theme)
            problems.append(((*here, "theme"), message))
        problems += _check_shown_if(ref, question, here, position)
        for ai, answer in enumerate(question.answers):
            problems += _check_answer(question, answer, (*here, "answers", ai), measures)
        if question.is_scored:
            problems += _check_scored_question(question, here)

    for mi, measure in enumerate(ref.measures):
        here = ("measures", mi)
        if measure.theme not in theme_ids:
            problems.append(((*here, "theme"), MESSAGES["unknown_theme"].format(id=measure.theme)))
        levels = Counter(item.level for item in measure.levels)
        for level, count in levels.items():
            if count > 1:
                message = MESSAGES["duplicate_level"].format(level=level)
                problems.append(((*here, "levels"), message))
        if 1 not in levels:
            problems.append(((*here, "levels"), MESSAGES["measure_needs_level_1"]))
        for li, link in enumerate(measure.helped_by):
            if link.kind in {"awareness_module", "purchasing"} and not link.ref:
                message = MESSAGES["service_ref_required"].format(kind=link.kind)
                problems.append(((*here, "helped_by", li), message))

    ranks: dict[int, str] = {}
    for mi, measure in enumerate(ref.measures):
        if measure.priority in ranks:
            message = MESSAGES["duplicate_priority"].format(
                rank=measure.priority, other=ranks[measure.priority]
            )
            problems.append((("measures", mi, "priority"), message))
        else:
            ranks[measure.priority] = measure.id

    scored_themes = {q.theme for q in ref.questions if q.is_scored}
    for ti, theme in enumerate(ref.themes):
        if theme.id not in scored_themes:
            problems.append((("themes", ti, "id"), MESSAGES["unused_theme"].format(id=theme.id)))

    problems += _check_first_advice(ref)
    # The worst-case coverage only makes sense once every reference above holds.
    if not problems:
        problems += _check_worst_case_coverage(ref)
    return problems


def _check_unique_ids(ref: Referential) -> list[tuple[tuple[str | int, ...], str]]:
    problems = []
    for collection in ("themes", "questions", "measures"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(ref, collection)):
            if item.id in seen:
                other = f"{collection}[{seen[item.id]}]"
                message = MESSAGES["duplicate_id"].format(id=item.id, other=other)
                problems.append(((collection, index, "id"), message))
            else:
                seen[item.id] = index
    for qi, question in enumerate(ref.questions):
        seen = {}
        for ai, answer in enumerate(question.answers):
            if answer.id in seen:
                other = f"questions[{qi}].answers[{seen[answer.id]}]"
                message = MESSAGES["duplicate_id"].format(id=answer.id, other=other)
                problems.append((("questions", qi, "answers", ai, "id"), message))
            else:
                seen[answer.id] = ai
    return problems


def _check_maturity(ref: Referential) -> list[tuple[tuple[str | int, ...], str]]:
    problems = []
    levels = ref.maturity_levels
    for index, item in enumerate(levels):
        if item.level != index + 1:
            problems.append((("maturity_levels", index, "level"), MESSAGES["maturity_sequence"]))
        if index == 0 and item.min_score != 0:
            problems.append((("maturity_levels", 0, "min_score"), MESSAGES["maturity_first"]))
        if index > 0 and item.min_score <= levels[index - 1].min_score:
            path = ("maturity_levels", index, "min_score")
            problems.append((path, MESSAGES["maturity_increasing"]))
    return problems


def _check_shown_if(
    ref: Referential, question: Question, here: tuple[str | int, ...], position: dict[str, int]
) -> list[tuple[tuple[str | int, ...], str]]:
    condition = question.shown_if
    if condition is None:
        return []
    path = (*here, "shown_if", "question")
    if condition.question == question.id:
        return [(path, MESSAGES["self_reference"])]
    if condition.question not in position:
        return [(path, MESSAGES["unknown_question"].format(id=condition.question))]
    if position[condition.question] > position[question.id]:
        return [(path, MESSAGES["later_question"].format(id=condition.question))]
    parent = ref.question(condition.question)
    problems = []
    for index, answer_id in enumerate(condition.answers):
        if parent.answer(answer_id) is None:
            message = MESSAGES["unknown_answer"].format(question=parent.id, id=answer_id)
            problems.append(((*here, "shown_if", "answers", index), message))
    return problems


def _check_answer(
    question: Question,
    answer: Answer,
    here: tuple[str | int, ...],
    measures: dict[str, Measure],
) -> list[tuple[tuple[str | int, ...], str]]:
    problems = []
    if not question.is_scored:
        if answer.score is not None:
            problems.append(((*here, "score"), MESSAGES["context_scored"]))
        if answer.measure is not None:
            problems.append(((*here, "measure"), MESSAGES["context_measure"]))
        return problems
    if answer.id == DONT_KNOW:
        if answer.score is not None or answer.measure is not None:
            problems.append((here, MESSAGES["dont_know_scored"]))
        return problems
    if answer.score is None:
        problems.append(((*here, "score"), MESSAGES["missing_score"]))
    if answer.measure is not None:
        measure = measures.get(answer.measure.id)
        if measure is None:
            message = MESSAGES["unknown_measure"].format(id=answer.measure.id)
            problems.append(((*here, "measure", "id"), message))
        elif not measure.has_level(answer.measure.level):
            message = MESSAGES["unknown_measure_level"].format(
                id=measure.id, level=answer.measure.level
            )
            problems.append(((*here, "measure", "level"), message))
    if answer.score == SCORE_MAX and answer.measure is not None:
        problems.append(((*here, "measure"), MESSAGES["best_calls_measure"]))
    if answer.score == SCORE_MIN and (answer.measure is None or answer.measure.level != 1):
        problems.append(((*here, "measure"), MESSAGES["worst_without_measure"]))
    return problems


def _check_scored_question(
    question: Question, here: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], str]]:
    problems = []
    if question.answer(DONT_KNOW) is None:
        problems.append(((*here, "answers"), MESSAGES["missing_dont_know"]))
    scores = {a.score for a in question.answers if a.id != DONT_KNOW}
    if SCORE_MAX not in scores:
        problems.append(((*here, "answers"), MESSAGES["no_best_answer"]))
    if SCORE_MIN not in scores:
        problems.append(((*here, "answers"), MESSAGES["no_worst_answer"]))
    return problems


def _check_first_advice(ref: Referential) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    flagged = ref.first_advice_questions()
    if not FIRST_ADVICE_MIN <= len(flagged) <= FIRST_ADVICE_MAX:
        message = MESSAGES["first_advice_count"].format(
            count=len(flagged), min=FIRST_ADVICE_MIN, max=FIRST_ADVICE_MAX
        )
        problems.append((("questions",), message))
    flagged_ids = {q.id for q in flagged}
    for qi, question in enumerate(ref.questions):
        if question.first_advice and question.shown_if:
            parent = question.shown_if.question
            if parent not in flagged_ids:
                message = MESSAGES["first_advice_parent"].format(parent=parent)
                problems.append((("questions", qi, "first_advice"), message))
    return problems


def _check_worst_case_coverage(ref: Referential) -> list[tuple[tuple[str | int, ...], str]]:
    worst = ref.worst_answers()
    called = set()
    for question_id, answer_id in worst.items():
        answer = ref.question(question_id).answer(answer_id)
        if answer is not None and answer.measure is not None and answer.measure.level == 1:
            called.add(answer.measure.id)
    return [
        (("measures", mi, "id"), MESSAGES["uncovered_measure"].format(id=m.id))
        for mi, m in enumerate(ref.measures)
        if m.id not in called
    ]
