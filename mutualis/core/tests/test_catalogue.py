"""The French catalogue: every plural message of the package, the French rule, a .mo in step.

Without it `ngettext` falls back to the English rule and shows « 0 équipements ». The catalogue is
written by `bin/messages` (core/testing/catalogue.py); these tests fail when a plural message of
the code is missing from it, when it keeps one the code no longer has, or when the committed .mo
says something else than the .po.
"""

import polib
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

from mutualis.core.testing import catalogue

RUN = "run bin/messages and commit mutualis/locale (docs/words-on-screen.md)"


def _entries(messages) -> dict[tuple[str, str, str], polib.POEntry]:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural): e for e in messages if e.msgid}


def test_every_plural_message_of_the_package_is_in_the_catalogue():
    in_catalogue = _entries(polib.pofile(str(catalogue.PO)))
    in_code = catalogue.plural_messages()
    assert len(in_code) > 100  # the extraction sees the package (Python files and templates)
    missing = [
        f"{', '.join(paths)}: {msg[1]!r}"
        for msg, paths in in_code.items()
        if msg not in in_catalogue
    ]
    assert not missing, f"plural messages missing from the catalogue ({RUN}):\n" + "\n".join(
        missing
    )
    stale = [msg[1] for msg in in_catalogue if msg not in in_code]
    assert not stale, f"catalogue entries no code uses ({RUN}):\n" + "\n".join(stale)


def test_each_entry_is_singular_then_plural_under_the_french_rule():
    po = polib.pofile(str(catalogue.PO))
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    wrong = [
        e.msgid
        for e in po
        if e.msgstr_plural != {0: e.msgid, 1: e.msgid_plural} or e.fuzzy or e.obsolete
    ]
    assert not wrong, f"entries whose forms are not (singular, plural): {wrong}"


def test_the_committed_mo_says_what_the_po_says():
    po, mo = polib.pofile(str(catalogue.PO)), polib.mofile(str(catalogue.MO))
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"], RUN

    def forms(entries):
        return {key: e.msgstr_plural for key, e in _entries(entries).items()}

    assert forms(mo) == forms(po), f"the .mo is stale against the .po: {RUN}"


def test_the_extraction_reads_python_calls_and_template_counts():
    python = """
from django.utils.translation import ngettext, npgettext_lazy
a = ngettext("%(n)s chat", "%(n)s chats", n)
b = translation.ngettext("une " "souris", "des souris", n)
c = npgettext_lazy("zoo", "%(n)s ours", "%(n)s ours bruns", n)
d = ngettext(singular, plural, n)  # not literals: nothing to extract
"""
    assert catalogue._python_messages(python) == {
        ("", "%(n)s chat", "%(n)s chats"),
        ("", "une souris", "des souris"),
        ("zoo", "%(n)s ours", "%(n)s ours bruns"),
    }
    template = (
        "{% load i18n %}{% blocktranslate count n=items|length %}{{ n }} élément à 100 %"
        "{% plural %}{{ n }} éléments à 100 %{% endblocktranslate %}"
        "{% blocktranslate context 'menu' count n=k trimmed %}\n  un {{ n }}\n"
        "{% plural %} des {{ n }}{% endblocktranslate %}{% translate 'seul' %}"
    )
    assert catalogue._template_messages(template) == {
        ("", "%(n)s élément à 100 %%", "%(n)s éléments à 100 %%"),
        ("menu", "un %(n)s", "des %(n)s"),
    }


@pytest.mark.parametrize(
    ("singular", "plural", "values"),
    [
        (
            "Trop de demandes en peu de temps. Réessayez dans %(minutes)s minute.",
            "Trop de demandes en peu de temps. Réessayez dans %(minutes)s minutes.",
            {"minutes": None},
        ),
        (
            "%(sent)s alerte de préavis envoyée.",
            "%(sent)s alertes de préavis envoyées.",
            {"sent": None},
        ),
        ("%(n)s erreur", "%(n)s erreurs", {"n": None}),
    ],
)
def test_zero_and_one_are_singular_two_is_plural(singular, plural, values):
    with translation.override("fr"):
        shown = {
            n: ngettext(singular, plural, n) % {key: n for key in values} for n in (0, 1, 2, 5)
        }
    assert shown == {
        0: singular % {key: 0 for key in values},
        1: singular % {key: 1 for key in values},
        2: plural % {key: 2 for key in values},
        5: plural % {key: 5 for key in values},
    }


def test_a_template_count_of_zero_is_singular():
    """A real message of awareness/exercise.html, rendered as the page renders it."""
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} fausse alerte."
        "{% plural %}{{ counter }} fausses alertes.{% endblocktranslate %}"
    )
    with translation.override("fr"):
        shown = [template.render(Context({"n": n})) for n in (0, 1, 2)]
    assert shown == ["0 fausse alerte.", "1 fausse alerte.", "2 fausses alertes."]
