"""Councillors' names made comparable whatever their accents, case, order, hyphens and titles."""

from __future__ import annotations

import re

from .words import fold

_TITLE_RE = re.compile(
    r"^\s*(?:(?:mm|mmes|mme|mlle|melle|mr|m|dr|me|pr)\.?(?=\s)|monsieur|madame|mademoiselle"
    r"|messieurs|mesdames|docteur|ma[iî]tre)\s+",
    re.IGNORECASE,
)
_SEPARATORS_RE = re.compile(r"[\s\-‐–'’.,]+")


def strip_titles(name: str) -> str:
    """The name without its leading civil titles ("Mme", "M.", "Monsieur"...)."""
    previous = None
    name = name.strip()
    while previous != name:
        previous = name
        name = _TITLE_RE.sub("", name, count=1).strip()
    return name


def name_key(name: str) -> str:
    """A key equal for every spelling of one person: "ARSEGUEL Patrice" and "Patrice ARSÉGUEL"."""
    words = [w for w in _SEPARATORS_RE.split(fold(strip_titles(name))) if w]
    return " ".join(sorted(words))


def same_person(first: str, second: str) -> bool:
    """Whether two written names designate the same person."""
    key = name_key(first)
    return bool(key) and key == name_key(second)


_PLACE_SEPARATORS_RE = re.compile(r"[^0-9a-z]+")


def place_key(name: str) -> str:
    """A key equal for every spelling of one place: "ODARS", "Odars"; "Saint-Orens" and
    "Saint Orens" (word order kept, unlike people's names)."""
    return " ".join(w for w in _PLACE_SEPARATORS_RE.split(fold(name)) if w)
