"""No « sauvegarde(s) »: a count is said through ngettext / {% blocktranslate count %}.

Scans every string literal of the package's Python (docstrings aside: they are for developers)
and every template (comments aside), tests and migrations left out: a message a person may read
(page, form error, command output, PDF, parser error, demo log line) never hedges its plural.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
SKIPPED = {"tests", "migrations"}

# « élément(s) », « nouvelle(s) », « appel(x) »: a letter, then a parenthesised plural ending.
# `%(s)s` (a placeholder named s) is not one: a percent sign precedes it.
HEDGED_PLURAL = re.compile(r"(?<=\w)\((?:s|es|x)\)")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def _files(*suffixes: str) -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.suffix in suffixes and not SKIPPED & set(p.relative_to(PACKAGE).parts)
    )


def _docstrings(tree: ast.AST) -> set[int]:
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def hedged_in_python(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and HEDGED_PLURAL.search(node.value)
    ]


def hedged_in_template(source: str) -> list[str]:
    return HEDGED_PLURAL.findall(TEMPLATE_COMMENT.sub("", source))


def test_the_scan_sees_literals_and_templates_but_not_docstrings_nor_comments():
    source = '"""Sauvegarde(s) du jour."""\n\n# fichier(s)\nx = f"{n} fichier(s)"\ny = "%(s)s"\n'
    assert hedged_in_python(source) == [(4, " fichier(s)")]
    assert hedged_in_template("{# élément(s) #}{{ n }} élément(s) %(s)s") == ["(s)"]


def test_no_message_of_the_package_hedges_its_plural():
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
        for path in _files(".py")
        for line, text in hedged_in_python(path.read_text(encoding="utf-8"))
    ]
    found += [
        f"{path.relative_to(PACKAGE)}: {len(hits)} « (s) »"
        for path in _files(".html", ".txt")
        if (hits := hedged_in_template(path.read_text(encoding="utf-8")))
    ]
    assert not found, "say the count with ngettext (docs/words-on-screen.md):\n" + "\n".join(found)
