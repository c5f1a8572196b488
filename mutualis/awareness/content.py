"""Load, validate and render the awareness modules written as Markdown files with YAML blocks.

File format (one module per ``.md`` file, UTF-8)::

    ---
    slug: mots-de-passe          # lowercase letters, digits and dashes
    title: Mots de passe et authentification
    summary: Une phrase qui dit ce que l'agent va apprendre.
    duration_minutes: 15         # whole minutes, 1 to 240
    version: 1                   # whole number, 1 or more; raise it when the content changes
    pass_mark: 70                # percentage of quiz questions to get right, 0 to 100
    order: 1                     # position in the catalogue
    ---

    ## First section title
    Markdown text (paragraphs, lists, **bold**, ### sub-headings, links, tables).

    ## Second section title
    ...

    ```exercise
    (YAML, see below)
    ```

    ```quiz
    (YAML, see below)
    ```

Rules of the body:

- the body is cut into lesson sections by level-2 headings (``## Title``); nothing but blank lines
  may come before the first one, a level-1 heading is refused (the title is in the front matter),
  and a section may not be empty;
- fenced blocks tagged ``exercise`` and ``quiz`` are taken out of the lesson text wherever they
  are (put them after the lesson): the platform shows the lesson, then the exercises in file order,
  then the quiz. Exactly one ``quiz`` block per module; any number of ``exercise`` blocks;
- other fenced blocks must be untagged or tagged ``text`` (shown as-is); any other tag is refused,
  so that a misspelt ``exercice`` is not silently shown as code.

An ``exercise`` block ("repérez le piège") is a YAML mapping::

    id: fausse-facture            # unique in the module
    title: La facture du fournisseur
    kind: email                   # email | sms | webpage
    context: Vous êtes secrétaire de mairie ; ce message arrive lundi à 8 h 30.   # optional
    message:                      # fields allowed per kind, see MESSAGE_FIELDS
      from: "Comptabilité <compta@fournisseur-paiement.example>"
      subject: Facture impayée
      body: |
        Texte du message, en texte brut (pas de Markdown), retours à la ligne conservés.
    signs:                        # the suspicious parts, at least one
      - id: expediteur            # unique in the exercise (signs and decoys together)
        field: from               # the message field the span is in
        text: fournisseur-paiement.example   # exact text, found once and only once in the field
        explanation: Pourquoi c'est suspect.
    decoys:                       # optional: legitimate parts an agent might click wrongly
      - id: objet
        field: subject
        text: Facture
        explanation: Pourquoi ce n'est pas un signe en soi.
    debrief: Ce qu'il faut retenir de l'exercice.   # optional

Spans of one field may not overlap. Ids are lowercase letters, digits, ``-`` and ``_``; choose ids
that do not give the answer away (``expediteur``, not ``faux-expediteur``): the page carries them.

A ``quiz`` block is a YAML list of questions::

    - id: q1                      # unique in the module
      kind: single                # single (exactly one correct choice) | multiple (one or more)
      question: Texte de la question ?
      choices:                    # at least two
        - id: a                   # unique in the question
          text: Texte du choix
          correct: true
          explanation: Pourquoi ce choix est juste ou faux.

Every problem is reported as a :class:`ModuleError` naming the file, the line and the problem in
French; YAML anchors and aliases are refused (they are never needed and could blow up in size).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import markdown
import nh3
import yaml
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

# Every message a person reads, in one place so the lead can wrap them for translation.
MESSAGES: dict[str, str] = {
    "file_unreadable": "impossible de lire le fichier ({detail})",
    "not_utf8": "le fichier n'est pas encodé en UTF-8",
    "front_matter_missing": (
        "le fichier doit commencer par un en-tête YAML encadré par deux lignes « --- »"
    ),
    "front_matter_unclosed": "l'en-tête YAML ouvert ici n'est jamais fermé par une ligne « --- »",
    "yaml_syntax": "YAML invalide : {detail}",
    "yaml_colon_hint": (
        " — un texte contient sans doute « : » suivi d'une espace : mettez-le entre guillemets "
        "ou écrivez « >- » puis le texte à la ligne suivante, en retrait"
    ),
    "yaml_bad_character": "caractère spécial interdit ({code})",
    "yaml_alias": "les ancres et alias YAML (« & » et « * ») ne sont pas acceptés",
    "yaml_empty": "{block} est vide",
    "yaml_not_mapping": "{block} doit être un tableau « clé: valeur »",
    "yaml_not_list": "{block} doit être une liste de questions (lignes « - id: ... »)",
    "text_before_section": (
        "du texte précède la première section : commencez le contenu par un titre « ## Titre »"
    ),
    "h1_heading": (
        "titre de niveau 1 refusé : le titre du module est dans l'en-tête, "
        "les sections commencent par « ## »"
    ),
    "empty_heading": "titre de section vide",
    "empty_section": "la section « {title} » est vide",
    "no_section": "le module n'a aucune section de cours (titres « ## Titre »)",
    "unknown_block": (
        "type de bloc inconnu « {tag} » : les types permis sont exercise, quiz et text"
    ),
    "unclosed_block": "le bloc ouvert ici n'est jamais fermé par « ``` »",
    "no_quiz": "le module n'a pas de bloc quiz",
    "second_quiz": "un module ne peut avoir qu'un seul bloc quiz (le premier est ligne {first})",
    "missing": "clé « {key} » manquante",
    "extra_forbidden": "clé « {key} » inconnue",
    "string_type": "« {key} » doit être un texte (mettez la valeur entre guillemets si besoin)",
    "int_type": "« {key} » doit être un nombre entier",
    "bool_type": "« {key} » doit valoir true ou false",
    "list_type": "« {key} » doit être une liste",
    "dict_type": "« {key} » doit être un tableau « clé: valeur »",
    "literal_error": "« {key} » doit valoir {expected}",
    "greater_than_equal": "« {key} » doit être supérieur ou égal à {ge}",
    "less_than_equal": "« {key} » doit être inférieur ou égal à {le}",
    "string_too_short": "« {key} » ne doit pas être vide",
    "too_short": "« {key} » : trop peu d'éléments, il en faut au moins {min_length}",
    "string_pattern_mismatch": (
        "« {key} » : seuls les minuscules, les chiffres, « - » et « _ » sont permis"
    ),
    "invalid_value": "« {key} » est invalide ({detail})",
    "field_not_allowed": (
        "le champ « {field} » n'existe pas pour un message de type {kind} "
        "(champs permis : {allowed})"
    ),
    "field_required": "le champ « {field} » est obligatoire pour un message de type {kind}",
    "span_field_absent": "le passage renvoie au champ « {field} », absent du message",
    "span_not_found": "le passage « {text} » ne figure pas dans le champ « {field} »",
    "span_ambiguous": (
        "le passage « {text} » figure {count} fois dans le champ « {field} » : "
        "allongez-le pour qu'il soit unique"
    ),
    "span_overlap": "le passage « {text} » chevauche le passage « {other} » (champ « {field} »)",
    "duplicate_id": "identifiant « {id} » en double (déjà utilisé ligne {first})",
    "no_correct_choice": "la question « {id} » n'a aucune bonne réponse",
    "single_several_correct": (
        "la question à choix unique « {id} » a {count} bonnes réponses : "
        "mettez kind: multiple ou gardez une seule bonne réponse"
    ),
    "duplicate_slug": "le module « {slug} » existe déjà dans {other}",
    "no_module": "aucun module (fichier .md) dans ce dossier",
}

MESSAGE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (fields in display order, required fields)
    "email": (
        ("from", "reply_to", "to", "cc", "date", "subject", "attachment", "body"),
        ("from", "subject", "body"),
    ),
    "sms": (("from", "date", "body"), ("from", "body")),
    "webpage": (("url", "title", "body"), ("url", "body")),
}

FIELD_LABELS: dict[str, str] = {
    "from": "De",
    "reply_to": "Répondre à",
    "to": "À",
    "cc": "Copie",
    "date": "Date",
    "subject": "Objet",
    "attachment": "Pièce jointe",
    "body": "Message",
    "url": "Adresse",
    "title": "Titre de la page",
}

DEFAULT_INSTRUCTIONS = "Cliquez sur chaque élément qui vous paraît suspect, puis validez."

# Lesson HTML keeps only what plain prose needs; anything else (scripts, images, styles) goes.
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td", "kbd", "mark",
}  # fmt: skip

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)")
_H2 = re.compile(r"^ {0,3}##(?!#)(.*)$")
_H1 = re.compile(r"^ {0,3}#(?!#)")
_FRONT_MATTER_END = {"---", "..."}


class ModuleError(Exception):
    """A module file refused at load: ``str(error)`` reads « fichier, ligne N : problème »."""

    def __init__(self, source: str, problems: list[tuple[int, str]]):
        self.source = source
        self.problems = sorted(problems)  # (line, French message), in file order
        self.line, self.message = self.problems[0]
        super().__init__(
            "\n".join(
                _("%(source)s, ligne %(line)s : %(message)s")
                % {"source": source, "line": line, "message": message}
                for line, message in self.problems
            )
        )


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    markdown: str
    html: str  # rendered from Markdown and sanitised: safe to insert as is
    line: int


@dataclass(frozen=True)
class Sign:
    """A span of one message field: a suspicious part (sign) or a legitimate one (decoy)."""

    id: str
    field: str
    text: str
    explanation: str
    start: int  # offset of the span in the field's value
    line: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    kind: Literal["email", "sms", "webpage"]
    context: str
    instructions: str
    message: dict[str, str]  # field → plain text, in display order
    signs: tuple[Sign, ...]
    decoys: tuple[Sign, ...]
    debrief: str
    line: int


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    kind: Literal["single", "multiple"]
    question: str
    choices: tuple[Choice, ...]
    line: int

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices if choice.correct)


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    duration_minutes: int
    version: int
    pass_mark: int
    order: int
    sections: tuple[Section, ...]
    exercises: tuple[Exercise, ...]
    quiz: tuple[QuizQuestion, ...]
    source: str = field(compare=False)


# --- Schemas of the YAML blocks (input side) -------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class _FrontMatter(_Strict):
    slug: Slug
    title: Text
    summary: Text
    duration_minutes: int = Field(ge=1, le=240)
    version: int = Field(ge=1)
    pass_mark: int = Field(ge=0, le=100)
    order: int


class _SpanIn(_Strict):
    id: Ident
    field: str
    text: Text
    explanation: Text


class _ExerciseIn(_Strict):
    id: Ident
    title: Text
    kind: Literal["email", "sms", "webpage"]
    context: str = ""
    instructions: str = ""
    message: dict[str, str]
    signs: list[_SpanIn] = Field(min_length=1)
    decoys: list[_SpanIn] = []
    debrief: str = ""


class _ChoiceIn(_Strict):
    id: Ident
    text: Text
    correct: bool
    explanation: Text


class _QuestionIn(_Strict):
    id: Ident
    kind: Literal["single", "multiple"]
    question: Text
    choices: list[_ChoiceIn] = Field(min_length=2)


_FRONT_MATTER = TypeAdapter(_FrontMatter)
_EXERCISE = TypeAdapter(_ExerciseIn)
_QUIZ = TypeAdapter(list[_QuestionIn])


# --- YAML with line numbers ------------------------------------------------------------------

Path_ = tuple[str | int, ...]


@dataclass
class _Block:
    """A YAML block of the file: its text and the file line of its first line."""

    name: str  # how messages name it: « l'en-tête », « exercise », « quiz »
    text: str
    first_line: int
    fence_line: int


class _LineMap:
    """Maps key paths of a YAML document to file lines, from the composed node marks."""

    def __init__(self, node: yaml.Node, first_line: int):
        self.lines: dict[Path_, int] = {}
        self.first_line = first_line
        self._walk(node, (), first_line + node.start_mark.line)

    def _walk(self, node: yaml.Node, path: Path_, line: int) -> None:
        self.lines[path] = line
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_path = (*path, str(key.value) if isinstance(key, yaml.ScalarNode) else "?")
                self._walk(value, key_path, self.first_line + key.start_mark.line)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, (*path, index), self.first_line + item.start_mark.line)

    def line(self, path: Iterable[Any]) -> int:
        """The line of the path, or of its deepest existing parent (a missing key's mapping)."""
        parts = tuple(path)
        for end in range(len(parts), -1, -1):
            prefix = parts[:end]
            for candidate in (prefix, tuple(p if isinstance(p, int) else str(p) for p in prefix)):
                if candidate in self.lines:
                    return self.lines[candidate]
        return self.first_line


class _SafeLoaderNoDates(yaml.SafeLoader):
    """Safe loader that keeps dates as text: a message's « date: 2024-03-12 » is text to show."""


_SafeLoaderNoDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _first_alias(node: yaml.Node) -> yaml.Node | None:
    """The first node reached twice: the composer shares one node for an anchor and its aliases."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return current
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _yaml_error_line_and_detail(error: yaml.YAMLError, block: _Block) -> tuple[int, str]:
    if isinstance(error, yaml.reader.ReaderError):
        line = block.first_line + block.text[: error.position].count("\n")
        return line, MESSAGES["yaml_bad_character"].format(code=f"U+{error.character:04X}")
    problem = getattr(error, "problem", None) or str(error)
    problem_mark = getattr(error, "problem_mark", None)
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    # An unclosed quote, bracket or key is best shown where it opens (the context); a bad line
    # inside a block mapping where it is found (the problem).
    use_context = context_mark is not None and not (context or "").startswith(
        "while parsing a block"
    )
    mark, other = (context_mark, problem_mark) if use_context else (problem_mark, context_mark)
    mark = mark or other
    line = block.first_line + mark.line if mark is not None else block.fence_line
    detail = problem
    if context and other is not None and mark is not None and other.line != mark.line:
        # pyyaml's own words, in English, with the other line involved.
        detail += " " + _("(%(context)s, ligne %(line)s)") % {
            "context": context,
            "line": block.first_line + other.line,
        }
    if problem == "mapping values are not allowed here":
        detail += MESSAGES["yaml_colon_hint"]
    return line, detail


def _load_yaml(block: _Block, fail: _Failer) -> tuple[Any, _LineMap]:
    loader = None
    try:
        loader = _SafeLoaderNoDates(block.text)
        node = loader.get_single_node()
        if node is None:
            fail(block.fence_line, "yaml_empty", block=block.name)
        alias = _first_alias(node)
        if alias is not None:
            fail(block.first_line + alias.start_mark.line, "yaml_alias")
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        line, detail = _yaml_error_line_and_detail(error, block)
        fail(line, "yaml_syntax", detail=detail)
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # The safe constructor can still choke on odd scalars (e.g. a huge « !!float » value).
        fail(block.first_line, "yaml_syntax", detail=str(error))
    finally:
        if loader is not None:
            loader.dispose()
    return data, _LineMap(node, block.first_line)


class _Failer:
    """Collects problems of one file and raises them together."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[tuple[int, str]] = []

    def add(self, line: int, code: str, **params: Any) -> None:
        self.problems.append((line, MESSAGES[code].format(**params)))

    def __call__(self, line: int, code: str, **params: Any) -> None:
        self.add(line, code, **params)
        self.raise_if_any()

    def raise_if_any(self) -> None:
        if self.problems:
            raise ModuleError(self.source, self.problems)


# How a position in a list is named in messages, by the key holding the list (None: the root).
ITEM_NOUNS: dict[str | None, str] = {
    None: "question",
    "signs": "signe",
    "decoys": "leurre",
    "choices": "choix",
}


def _describe(loc: tuple[Any, ...]) -> tuple[str, str]:
    """Split a schema error path into where it is (« question 2, choix 3 ») and the key."""
    places: list[str] = []
    parent: str | None = None
    key = ""
    for position, part in enumerate(loc):
        if isinstance(part, int):
            places.append(f"{ITEM_NOUNS.get(parent, 'élément')} {part + 1}")
        elif position == len(loc) - 1:
            key = str(part)
        else:
            if not isinstance(loc[position + 1], int):  # a list is named by its item noun
                places.append(f"« {part} »")
            parent = str(part)
    return ", ".join(places), key


def _validate(adapter: TypeAdapter, data: Any, lines: _LineMap, fail: _Failer) -> Any:
    """Validate data against a schema; report each error in French at its YAML line."""
    try:
        return adapter.validate_python(data)
    except ValidationError as errors:
        for error in errors.errors(include_url=False):
            loc = tuple(part for part in error["loc"] if part != "[key]")
            kind = error["type"]
            kind = {"model_type": "dict_type", "model_attributes_type": "dict_type"}.get(kind, kind)
            ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
            if "expected" in ctx:
                ctx["expected"] = ctx["expected"].replace("' or '", "' ou '")
            where, key = _describe(loc)
            key = key or "la valeur"
            try:
                message = MESSAGES[kind].format(key=key, **ctx)
            except (KeyError, IndexError):
                message = MESSAGES["invalid_value"].format(key=key, detail=error["msg"])
            if where:
                message = f"{where} : {message}"
            fail.problems.append((lines.line(loc), message))
        fail.raise_if_any()
        raise AssertionError("unreachable") from None


# --- The body: sections and blocks -----------------------------------------------------------


def _anchor(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "section"


def _render(text: str) -> str:
    html = markdown.markdown(
        text, extensions=["tables", "sane_lists", "fenced_code"], output_format="html"
    )
    return nh3.clean(html, tags=ALLOWED_TAGS, url_schemes={"http", "https", "mailto"})


def _split_body(
    lines: list[str], first_line: int, fail: _Failer
) -> tuple[list[tuple[str, int, list[str]]], list[_Block], _Block | None]:
    """Cut the body into (title, line, markdown lines) sections, exercise blocks and the quiz."""
    sections: list[tuple[str, int, list[str]]] = []
    exercises: list[_Block] = []
    quiz: _Block | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        number = first_line + index
        fence = _FENCE.match(line)
        if fence:
            marker, tag = fence.group(1), fence.group(2)
            close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
            end = next((j for j in range(index + 1, len(lines)) if close.match(lines[j])), None)
            if end is None:
                fail(number, "unclosed_block")
            if tag in ("exercise", "quiz"):
                block = _Block(
                    _("le bloc %(tag)s") % {"tag": tag},
                    "\n".join(lines[index + 1 : end]),
                    number + 1,
                    number,
                )
                if tag == "exercise":
                    exercises.append(block)
                elif quiz is None:
                    quiz = block
                else:
                    fail.add(number, "second_quiz", first=quiz.fence_line)
            elif tag in ("", "text"):
                if not sections:
                    fail(number, "text_before_section")
                sections[-1][2].extend(lines[index : end + 1])
            else:
                fail.add(number, "unknown_block", tag=tag)
            index = end + 1
            continue
        heading = _H2.match(line)
        if heading:
            title = heading.group(1).strip().rstrip("#").strip()
            if not title:
                fail.add(number, "empty_heading")
            sections.append((title, number, []))
        elif _H1.match(line):
            fail.add(number, "h1_heading")
        elif sections:
            sections[-1][2].append(line)
        elif line.strip():
            fail.add(number, "text_before_section")
        index += 1
    return sections, exercises, quiz


def _locate_spans(
    spans: list[_SpanIn], key: str, message: dict[str, str], lines: _LineMap, fail: _Failer
) -> list[Sign]:
    located = []
    for index, span in enumerate(spans):
        line = lines.line((key, index, "text"))
        if span.field not in message:
            fail.add(lines.line((key, index, "field")), "span_field_absent", field=span.field)
            continue
        count = message[span.field].count(span.text)
        if count == 0:
            fail.add(line, "span_not_found", text=span.text, field=span.field)
        elif count > 1:
            fail.add(line, "span_ambiguous", text=span.text, field=span.field, count=count)
        else:
            start = message[span.field].index(span.text)
            sign = Sign(
                span.id, span.field, span.text, span.explanation, start, lines.line((key, index))
            )
            located.append(sign)
    return located


def _check_unique(items: Iterable[tuple[str, int]], fail: _Failer) -> None:
    first_seen: dict[str, int] = {}
    for ident, line in items:
        if ident in first_seen:
            fail.add(line, "duplicate_id", id=ident, first=first_seen[ident])
        else:
            first_seen[ident] = line


def _parse_exercise(block: _Block, fail: _Failer) -> Exercise:
    data, lines = _load_yaml(block, fail)
    if not isinstance(data, dict):
        fail(lines.line(()), "yaml_not_mapping", block=_("le bloc %(tag)s") % {"tag": "exercise"})
    raw: _ExerciseIn = _validate(_EXERCISE, data, lines, fail)
    order, required = MESSAGE_FIELDS[raw.kind]
    for name in raw.message:
        if name not in order:
            allowed = ", ".join(order)
            fail.add(
                lines.line(("message", name)), "field_not_allowed", field=name, kind=raw.kind,
                allowed=allowed,
            )  # fmt: skip
    for name in required:
        if name not in raw.message:
            fail.add(lines.line(("message",)), "field_required", field=name, kind=raw.kind)
    fail.raise_if_any()
    # A « | » block ends with a newline nobody means to show.
    message = {name: raw.message[name].strip("\n") for name in order if name in raw.message}
    signs = _locate_spans(raw.signs, "signs", message, lines, fail)
    decoys = _locate_spans(raw.decoys, "decoys", message, lines, fail)
    _check_unique(((span.id, span.line) for span in [*signs, *decoys]), fail)
    for name in message:
        spans = sorted((s for s in [*signs, *decoys] if s.field == name), key=lambda s: s.start)
        for previous, current in itertools.pairwise(spans):
            if current.start < previous.end:
                fail.add(
                    current.line, "span_overlap", text=current.text, other=previous.text,
                    field=name,
                )  # fmt: skip
    fail.raise_if_any()
    return Exercise(
        id=raw.id,
        title=raw.title,
        kind=raw.kind,
        context=raw.context.strip(),
        instructions=raw.instructions.strip() or DEFAULT_INSTRUCTIONS,
        message=message,
        signs=tuple(signs),
        decoys=tuple(decoys),
        debrief=raw.debrief.strip(),
        line=block.fence_line,
    )


def _parse_quiz(block: _Block, fail: _Failer) -> tuple[QuizQuestion, ...]:
    data, lines = _load_yaml(block, fail)
    if not isinstance(data, list):
        fail(lines.line(()), "yaml_not_list", block=_("le bloc %(tag)s") % {"tag": "quiz"})
    raw: list[_QuestionIn] = _validate(_QUIZ, data, lines, fail)
    questions = []
    for index, question in enumerate(raw):
        line = lines.line((index,))
        _check_unique(
            ((c.id, lines.line((index, "choices", n))) for n, c in enumerate(question.choices)),
            fail,
        )
        correct = sum(choice.correct for choice in question.choices)
        if correct == 0:
            fail.add(line, "no_correct_choice", id=question.id)
        elif correct > 1 and question.kind == "single":
            fail.add(line, "single_several_correct", id=question.id, count=correct)
        choices = tuple(Choice(c.id, c.text, c.correct, c.explanation) for c in question.choices)
        questions.append(QuizQuestion(question.id, question.kind, question.question, choices, line))
    _check_unique(((q.id, q.line) for q in questions), fail)
    fail.raise_if_any()
    return tuple(questions)


def parse_module(text: str, *, source: str) -> Module:
    """Parse and validate one module's text; ``source`` names the file in error messages."""
    fail = _Failer(source)
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != "---":
        fail(1, "front_matter_missing")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FRONT_MATTER_END), None)
    if end is None:
        fail(1, "front_matter_unclosed")
    header = _Block("l'en-tête", "\n".join(lines[1:end]), 2, 1)
    data, header_lines = _load_yaml(header, fail)
    if not isinstance(data, dict):
        fail(header_lines.line(()), "yaml_not_mapping", block="l'en-tête")
    front: _FrontMatter = _validate(_FRONT_MATTER, data, header_lines, fail)

    raw_sections, exercise_blocks, quiz_block = _split_body(lines[end + 1 :], end + 2, fail)
    sections = []
    for title, line, body in raw_sections:
        source_text = "\n".join(body).strip("\n")
        if title and not source_text.strip():
            fail.add(line, "empty_section", title=title)
        sections.append(Section(title, _anchor(title), source_text, _render(source_text), line))
    if not raw_sections:
        fail.add(end + 1, "no_section")
    if quiz_block is None:
        last_line = max((n for n, line in enumerate(lines, start=1) if line.strip()), default=1)
        fail.add(last_line, "no_quiz")
    fail.raise_if_any()

    exercises = [_parse_exercise(block, fail) for block in exercise_blocks]
    _check_unique(((exercise.id, exercise.line) for exercise in exercises), fail)
    fail.raise_if_any()
    quiz = _parse_quiz(quiz_block, fail)
    return Module(
        slug=front.slug,
        title=front.title,
        summary=front.summary,
        duration_minutes=front.duration_minutes,
        version=front.version,
        pass_mark=front.pass_mark,
        order=front.order,
        sections=tuple(sections),
        exercises=tuple(exercises),
        quiz=quiz,
        source=source,
    )


def load_module(path: str | Path) -> Module:
    """Read and validate one module file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise ModuleError(str(path), [(line, MESSAGES["not_utf8"])]) from None
    except OSError as error:
        detail = error.strerror or str(error)
        problem = MESSAGES["file_unreadable"].format(detail=detail)
        raise ModuleError(str(path), [(1, problem)]) from None
    return parse_module(text, source=str(path))


def load_modules(directory: str | Path) -> list[Module]:
    """Load every ``*.md`` module of a directory, sorted by ``order`` then slug (slugs unique)."""
    directory = Path(directory)
    paths = sorted(directory.glob("*.md"))
    if not paths:
        raise ModuleError(str(directory), [(1, MESSAGES["no_module"])])
    modules: dict[str, Module] = {}
    for path in paths:
        module = load_module(path)
        if module.slug in modules:
            line = _slug_line(path)
            other = modules[module.slug].source
            raise ModuleError(
                str(path),
                [(line, MESSAGES["duplicate_slug"].format(slug=module.slug, other=other))],
            )
        modules[module.slug] = module
    return sorted(modules.values(), key=lambda module: (module.order, module.slug))


def _slug_line(path: Path) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("slug:"):
            return number
    return 1


def shipped_modules_directory() -> Path:
    """The directory of the modules that ship with Mutualis."""
    return Path(__file__).parent / "modules"


def module_by_slug(modules: Iterable[Module]) -> Mapping[str, Module]:
    return {module.slug: module for module in modules}
