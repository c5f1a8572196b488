"""The project's French catalogue: every plural message of the package, with the French rule.

Without a catalogue, `ngettext` falls back to the English rule (n != 1) and shows « 0 équipements »;
French says « 0 équipement » (plural=(n > 1)). The message ids are already French, so each entry's
singular is its msgid and its plural its msgid_plural: the catalogue carries the rule, not a
translation.

`plural_messages()` reads the package the way `makemessages` would, in pure Python: `ast` for the
`ngettext` family in Python files, Django's own `templatize` for `{% blocktranslate count %}` in
templates. `write_catalogue()` (run by `bin/messages`) writes the .po and compiles its .mo with
polib, a development dependency: the .mo is committed, so a fresh clone needs no gettext tools at
run time, and `core/tests/test_catalogue.py` fails when either file lags behind the code.
"""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"

# name -> index of the context argument (None: no context); the two message literals follow it.
FUNCTIONS = {"ngettext": None, "ngettext_lazy": None, "npgettext": 0, "npgettext_lazy": 0}

SKIPPED_PARTS = {"tests", "migrations", "testing"}

# One plural message: (context or "", singular, plural).
Message = tuple[str, str, str]


def _sources(suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*")
        if path.suffix in suffixes
        and path.is_file()
        and not SKIPPED_PARTS & set(path.relative_to(PACKAGE).parts)
    )


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _python_messages(source: str) -> set[Message]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in FUNCTIONS:
            continue
        start = 0 if FUNCTIONS[name] is None else 1
        context = "" if start == 0 else _literal(node.args[0])
        singular, plural = (_literal(arg) for arg in node.args[start : start + 2])
        if context is not None and singular is not None and plural is not None:
            found.add((context, singular, plural))
    return found


# templatize writes each {% blocktranslate count %} as ngettext(u'…', u'…', count), or
# npgettext(u'context', u'…', u'…', count) with a context.
_STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(
    rf"\b(?P<name>np?gettext)\((?P<args>{_STRING}(?:,\s*{_STRING}){{1,2}}),\s*count\)", re.DOTALL
)


def _template_messages(source: str) -> set[Message]:
    from django.utils.translation.template import templatize

    found = set()
    for match in _TEMPLATE_CALL.finditer(templatize(source)):
        args = ast.literal_eval(f"({match['args']},)")
        found.add(tuple(args) if match["name"] == "npgettext" else ("", *args))
    return found


def plural_messages() -> dict[Message, list[str]]:
    """Every plural message of the package (tests aside), with the files that use it."""
    messages: dict[Message, list[str]] = {}
    for path in _sources((".py",)):
        for message in _python_messages(path.read_text(encoding="utf-8")):
            messages.setdefault(message, []).append(str(path.relative_to(PACKAGE)))
    for path in _sources((".html", ".txt")):
        for message in _template_messages(path.read_text(encoding="utf-8")):
            messages.setdefault(message, []).append(str(path.relative_to(PACKAGE)))
    return messages


def write_catalogue() -> int:
    """Write the .po from the package's plural messages and compile its .mo; returns the count."""
    import polib

    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "mutualis",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS,
    }
    catalogue.header = (
        "The French plural rule for Mutualis's plural messages (written by bin/messages; do not "
        "edit by hand).\nThe message ids are French: msgstr[0] is the singular (0 and 1), "
        "msgstr[1] the plural (2 and more)."
    )
    messages = plural_messages()
    for (context, singular, plural), paths in sorted(messages.items()):
        catalogue.append(
            polib.POEntry(
                msgctxt=context or None,
                msgid=singular,
                msgid_plural=plural,
                msgstr_plural={0: singular, 1: plural},
                occurrences=[(path, "") for path in sorted(set(paths))],
                flags=["python-format"] if "%" in singular + plural else [],
            )
        )
    PO.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(PO))
    catalogue.save_as_mofile(str(MO))
    return len(messages)


def main() -> None:
    from django.conf import settings

    settings.configure()  # templatize reads templates with Django's lexer: no project needed
    count = write_catalogue()
    print(f"{PO.relative_to(PACKAGE.parent)}: {count} plural messages, and its .mo")


if __name__ == "__main__":
    main()
