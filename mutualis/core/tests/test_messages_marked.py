"""Every message a person reads goes through gettext: a source scan that fails on a regression.

The audit trail stores its summaries as text, so they must be rendered by gettext when written;
error messages raised to a person, flash messages and French command output likewise. The scan
reads the source of `mutualis/` (tests and migrations aside) with `ast`, so it sees exactly the
expressions Python sees, wherever the line breaks fall.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

# The translation functions, with how many of their first arguments are message literals (with
# named placeholders): extraction reads the literal, never an f-string or a concatenation.
MARKERS = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 2,
    "npgettext": 3,
}

# Django's `messages` levels: their second argument is shown on the next page.
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}

# A command's output to its caller.
OUTPUT = {"self.stdout.write", "self.stderr.write"}

# Commands whose output is for machines or operators, not French sentences.
ALLOWED_OUTPUT = {
    # `heartbeat <ISO time>`: a liveness line for the scheduler's log, read by monitoring.
    "operations/management/commands/heartbeat.py",
}

# (path relative to mutualis/, exception name): messages that truly must stay as they are.
ALLOWED_RAISES = {
    # Programming errors, caught by tests, never shown: the developer reads them in a traceback.
    ("core/uploads.py", "ValueError"),  # a caller asked for an upload kind that does not exist
    ("core/lookups.py", "TypeError"),  # get_visible_or_404 called without a rule, or with two
    ("core/numbering.py", "RuntimeError"),  # next_number() called outside the issuing transaction
    ("support/calendar.py", "ValueError"),  # a negative duration asked of the working calendar
    ("operations/archive.py", "ValueError"),  # two archive parts wrote the same path
    ("core/audit.py", "ValueError"),  # record() called with neither an object nor its name
    ("core/bulk.py", "ValueError"),  # insert_rows misused by a programmer (column, row width)
    ("membership/deliberations/page_image.py", "ValueError"),  # not a grey PGM: OCR reads it as is
    ("awareness/content.py", "AssertionError"),  # unreachable branch of the Markdown reader
    # Helpers of the production-like test instances (tests only, in English like pytest's output).
    ("operations/testing.py", "AssertionError"),
    # Settings errors stop the server before any page exists: the operator reads them, in English
    # like the variable names they cite.
    ("settings.py", "ImproperlyConfigured"),
    # An SMTP refusal becomes the outbox row's `last_error`, a diagnostic for operators.
    ("operations/mail.py", "OSError"),
}


def _is_text(node: ast.expr) -> bool:
    """Literal text a person would read: an f-string, or a string literal with words and spaces.
    A literal without a space is an identifier or a code (`"rules_no_rate"`), not a sentence."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " " in node.value and re.search(r"[A-Za-zÀ-ÿ]", node.value) is not None
    return False


def _unmarked_pieces(node: ast.expr) -> list[ast.expr]:
    """The literal pieces a message is assembled from (`a + b`, `a if c else b`, `a or b`) that did
    not go through gettext. Values formatted into a marked string (`_("…") % {...}`) are not pieces:
    they are names, numbers and dates, not sentences."""
    if _is_text(node):
        return [node]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _unmarked_pieces(node.left) + _unmarked_pieces(node.right)
    if isinstance(node, ast.IfExp):
        return _unmarked_pieces(node.body) + _unmarked_pieces(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [piece for value in node.values for piece in _unmarked_pieces(value)]
    return []


def _is_fstring_with_words(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(part, ast.Constant) and re.search(r"[A-Za-zÀ-ÿ]", part.value)
        for part in node.values
    )


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _dotted(call: ast.Call) -> str:
    try:
        return ast.unparse(call.func)
    except (AttributeError, ValueError):  # pragma: no cover - every callee unparses
        return ""


def problems_in(source: str, relative: str) -> list[str]:
    """Every unmarked message in one module's source, as `path:line: what`."""
    found: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{relative}:{node.lineno}: {what}")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg == "summary":
            for piece in _unmarked_pieces(node.value):
                flag(piece, "audit summary not marked for translation")
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = _callee(node.exc)
            if (relative, name) in ALLOWED_RAISES:
                continue
            for arg in node.exc.args:
                for piece in _unmarked_pieces(arg):
                    flag(piece, f"message of {name} not marked for translation")
        elif isinstance(node, ast.Call):
            name, dotted = _callee(node), _dotted(node)
            if name in MARKERS:
                for arg in node.args[: MARKERS[name]]:
                    if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                        flag(arg, f"{name}() must receive a literal, not {type(arg).__name__}")
                    elif len(re.findall(r"%[sdfi]", arg.value)) > 1:
                        flag(arg, f"{name}() with several unnamed placeholders: name them")
            elif dotted.startswith("messages.") and name in MESSAGE_LEVELS and len(node.args) > 1:
                for piece in _unmarked_pieces(node.args[-1]):
                    flag(piece, "flash message not marked for translation")
            elif (
                dotted in OUTPUT
                and node.args
                and _is_fstring_with_words(node.args[0])
                and relative not in ALLOWED_OUTPUT
            ):
                flag(node.args[0], "command output not marked for translation")
    return found


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, path.relative_to(PACKAGE).as_posix()


def test_every_message_a_person_reads_is_marked_for_translation():
    problems = [p for path, rel in _modules() for p in problems_in(path.read_text(), rel)]
    assert problems == [], "\n".join(problems)


def test_the_allow_list_names_raises_that_still_exist():
    """An entry left behind after its code is gone would silently allow a new message there."""
    stale = []
    for relative, name in ALLOWED_RAISES:
        tree = ast.parse((PACKAGE / relative).read_text())
        raised = {
            _callee(n.exc)
            for n in ast.walk(tree)
            if isinstance(n, ast.Raise) and isinstance(n.exc, ast.Call)
        }
        if name not in raised:
            stale.append((relative, name))
    assert stale == []


@pytest.mark.parametrize(
    "source",
    [
        'audit.record(action="a", obj=o, by=b, summary=f"Adhésion de {commune}")',
        'audit.record(action="a", obj=o, by=b, summary=_("Publiée : ") + f"{post.title}")',
        'audit.record(action="a", obj=o, by=b, summary="Crise close" if x else _("Ouverte"))',
        'raise ContributionError(f"{commune.name} : aucune période")',
        'raise CommandError("Aucun programme chargé.")',
        'raise HttpError(400, f"Rubrique inconnue : {category}.")',
        'messages.error(request, f"{exc} " + _("Rien n\'a été émis."))',
        'self.stdout.write(f"{count} participations enregistrées.")',
        'message = _(f"Adhésion de {commune}")',
        'message = _("Adhésion de %s à %s") % (commune, offer)',
        'message = gettext("Adhésion de " + name)',
    ],
)
def test_the_scan_catches_each_kind_of_unmarked_message(source):
    assert problems_in(source, "app/services.py") != []


@pytest.mark.parametrize(
    "source",
    [
        'audit.record(action="a", obj=o, by=b, summary=_("Adhésion de %(c)s") % {"c": c})',
        'audit.record(action="a", obj=o, by=b, summary=ngettext("%(n)d a", "%(n)d b", n) % {"n": n})',
        'raise InvalidRules("rules_no_rate")',
        "raise ContributionError(str(exc)) from exc",
        'self.stdout.write(f"  {line}")',
        'response["Content-Disposition"] = f\'attachment; filename="{name}.pdf"\'',
        'logger.warning(f"job {name} failed")',
    ],
)
def test_the_scan_lets_marked_messages_and_identifiers_through(source):
    assert problems_in(source, "app/services.py") == []
