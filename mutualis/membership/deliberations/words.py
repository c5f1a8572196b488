"""French numbers and dates as town halls write them, in words or in figures, read into values."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_UNITS: dict[str, int] = {
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    # Belgian and Swiss forms cost nothing and do occur in border communes' documents.
    "septante": 70,
    "huitante": 80,
    "octante": 80,
    "nonante": 90,
}
_HUNDRED = {"cent", "cents"}
_THOUSAND = {"mille", "mil"}
_ZERO_WORDS = {"neant", "aucun", "aucune", "nul", "nulle"}
NUMBER_WORDS = frozenset(_UNITS) | _HUNDRED | _THOUSAND | {"et"}

MONTHS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
# Abbreviated months only count with their dot ("sept." not the number "sept").
_MONTH_RE = re.compile(
    r"(?<![\w])(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre"
    r"|novembre|d[ée]cembre|janv\.|f[ée]vr?\.|avr\.|juil\.|sept\.|oct\.|nov\.|d[ée]c\.)(?![\w])",
    re.IGNORECASE,
)
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s?([/.\-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/])"
)
_ISO_DATE_RE = re.compile(r"(?<![\d\-])(\d{4})-(\d{2})-(\d{2})(?![\d\-])")
_ORDINAL_SUFFIXES = frozenset({"er", "re", "ere", "e", "eme"})
_TOKEN_RE = re.compile(r"\d+(?:er|ère|re|e|ème)?|[^\W\d_]+", re.UNICODE)
_DAY_TAIL_RE = re.compile(r"\s*(?:du\s+mois\s+d(?:e\s+|['’]\s*))?$", re.IGNORECASE)
_LEADING_SEP_RE = re.compile(r"[\s*:=.…|()\[\]_]*")
_LEADING_DIGITS_RE = re.compile(r"(\d{1,6})(?![\d,.]\d)")
# OCR of a scanned "0" often gives "O" or "O0"; alone after a label it can only be a zero.
_OCR_ZERO_RE = re.compile(r"[Oo0]?O[Oo0]?(?![\w])|0O(?![\w])")
_WORD_RUN_RE = re.compile(r"[^\W\d_]+(?:[\s\-]+[^\W\d_]+){0,9}")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case and strip accents, so that matching ignores how the document spells them."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _sum_words(tokens: list[str]) -> int | None:
    """Value of a whole run of number words, or None when the run is not a well-formed number."""
    total = 0
    current = 0
    last = -1  # the last component added to `current`, to reject "deux trois"
    seen = False
    previous = ""
    for word in tokens:
        if word == "et":
            if not seen or previous == "et":
                return None
            previous = word
            continue
        if word in _HUNDRED:
            if current % 100 >= 10 or (current and current >= 100):
                return None
            current = (current or 1) * 100
            last = 100
        elif word in _THOUSAND:
            if total:
                return None
            total = (current or 1) * 1000
            current = 0
            last = 1000
        elif word in _UNITS:
            value = _UNITS[word]
            if word in {"vingt", "vingts"} and previous == "quatre":
                current += 80 - 4  # "quatre-vingt": the 4 already added becomes 80
                last = 80
            else:
                tail = current % 100
                allowed = (
                    (tail == 0 and last in (-1, 100, 1000))
                    or (last % 10 == 0 and 20 <= last <= 90 and value < 10)
                    or (last in (60, 80) and 10 <= value < 20)
                    or (last == 10 and 7 <= value <= 9)
                )
                if not allowed or (value == 0 and (current or total)):
                    return None
                current += value
                last = value
        else:
            return None
        seen = True
        previous = word
    if not seen or previous == "et":
        return None
    return total + current


def parse_number(text: str) -> int | None:
    """Read a whole string as a number in figures or in French words ("quatre-vingt-dix-neuf")."""
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit():
        return int(stripped)
    folded = fold(stripped)
    if folded in _ZERO_WORDS:
        return 0
    tokens = [t for t in re.split(r"[\s\-]+", folded) if t]
    if not tokens:
        return None
    return _sum_words(tokens)


def _longest_number_prefix(tokens: list[str]) -> tuple[int, int] | None:
    """(value, token count) of the longest run of leading tokens that reads as a number."""
    best: tuple[int, int] | None = None
    for end in range(1, len(tokens) + 1):
        if tokens[end - 1] not in NUMBER_WORDS:
            break
        value = _sum_words(tokens[:end])
        if value is not None:
            best = (value, end)
    return best


def leading_number(text: str) -> int | None:
    """The number a string starts with (after label punctuation), in figures or words, or None."""
    start = _LEADING_SEP_RE.match(text).end()
    rest = text[start : start + 120]
    if _OCR_ZERO_RE.match(rest):
        return 0
    digits = _LEADING_DIGITS_RE.match(rest)
    if digits:
        after = rest[digits.end() : digits.end() + 1]
        if after.isalpha():
            # "10h", "3ème": a figure glued to a word is not a count.
            return None
        return int(digits.group(1))
    run = _WORD_RUN_RE.match(rest)
    if not run:
        return None
    tokens = [t for t in re.split(r"[\s\-]+", fold(run.group(0))) if t]
    if tokens and tokens[0] in _ZERO_WORDS:
        return 0
    found = _longest_number_prefix(tokens[:10])
    return found[0] if found else None


def trailing_number(text: str) -> int | None:
    """The number a string ends with, in figures or words ("... quatorze"), or None."""
    tail = text[-80:]
    digits = re.search(r"(?<![\d.,])(\d{1,6})\s*$", tail)
    if digits:
        return int(digits.group(1))
    tokens = [t for t in re.split(r"[^\w]+", fold(tail)) if t]
    best = None
    for start in range(len(tokens) - 1, max(-1, len(tokens) - 9), -1):
        if tokens[start] not in NUMBER_WORDS:
            break
        value = _sum_words(tokens[start:])
        if value is not None:
            best = value
    return best


@dataclass(frozen=True)
class DateHit:
    """A date found in a text; `year` is None when the text gives only day and month."""

    start: int
    end: int
    day: int
    month: int
    year: int | None

    def value(self, default_year: int | None = None) -> date | None:
        year = self.year if self.year is not None else default_year
        if year is None:
            return None
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None


def _plausible_year(year: int) -> bool:
    return 1900 <= year <= 2199


def _day_before(window: str) -> tuple[int, int] | None:
    """(day, start offset in window) of the day written just before a month name."""
    window = _DAY_TAIL_RE.sub("", window)
    tokens = list(_TOKEN_RE.finditer(window))
    if not tokens:
        return None
    last = tokens[-1]
    if window[last.end() :].strip(" \t\n,"):
        return None
    text = fold(last.group(0))
    if text in _ORDINAL_SUFFIXES and len(tokens) >= 2:
        # "1 ER MARS": an ordinal whose suffix the typist or the OCR set apart from its figure.
        figure = tokens[-2]
        if figure.group(0).isdigit() and not window[figure.end() : last.start()].strip(" "):
            return _day_before(window[: last.start()].rstrip(" "))
    figures = re.fullmatch(r"(\d{1,2})(?:er|re|e|eme)?", text)
    if figures:
        return int(figures.group(1)), last.start()
    if text in {"premier", "1er"}:
        return 1, last.start()
    best = None
    for count in range(1, min(4, len(tokens)) + 1):
        chunk = tokens[-count:]
        words = [fold(t.group(0)) for t in chunk]
        if any(w not in NUMBER_WORDS for w in words):
            break
        value = _sum_words(words)
        if value is not None and 1 <= value <= 31:
            best = (value, chunk[0].start())
    return best


def _year_after(window: str) -> tuple[int, int] | None:
    """(year, end offset in window) of the year written just after a month name."""
    head = re.match(r"[\s,]*", window).end()
    figures = re.match(r"(\d{4})(?!\d)", window[head:])
    if figures:
        year = int(figures.group(1))
        return (year, head + figures.end()) if _plausible_year(year) else None
    tokens = []
    for match in _TOKEN_RE.finditer(window, head):
        tokens.append(match)
        if len(tokens) >= 7:
            break
    words = [fold(t.group(0)) for t in tokens]
    best = None
    for end in range(1, len(words) + 1):
        if words[end - 1] not in NUMBER_WORDS:
            break
        if end > 1 and window[tokens[end - 2].end() : tokens[end - 1].start()].strip(" -\t"):
            break
        value = _sum_words(words[:end])
        if value is not None and _plausible_year(value):
            best = (value, tokens[end - 1].end())
    return best


def find_dates(text: str) -> list[DateHit]:
    """Every date written in the text, in order: "22/05/2024", "22 mai 2024", words, "1er juin"."""
    hits: list[DateHit] = []
    for match in _NUMERIC_DATE_RE.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if year < 100:
            year += 2000
        if 1 <= day <= 31 and 1 <= month <= 12 and _plausible_year(year):
            hits.append(DateHit(match.start(), match.end(), day, month, year))
    for match in _ISO_DATE_RE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        if 1 <= day <= 31 and 1 <= month <= 12 and _plausible_year(year):
            hits.append(DateHit(match.start(), match.end(), day, month, year))
    for match in _MONTH_RE.finditer(text):
        month = MONTHS[fold(match.group(1)).rstrip(".")]
        window_start = max(0, match.start() - 60)
        day = _day_before(text[window_start : match.start()])
        if day is None:
            continue
        year = _year_after(text[match.end() : match.end() + 90])
        hits.append(
            DateHit(
                window_start + day[1],
                match.end() + (year[1] if year else 0),
                day[0],
                month,
                year[0] if year else None,
            )
        )
    hits.sort(key=lambda hit: hit.start)
    return hits


def parse_date(text: str, *, default_year: int | None = None) -> date | None:
    """The first complete, valid date written in the text, or None."""
    for hit in find_dates(text):
        value = hit.value(default_year)
        if value is not None:
            return value
    return None


def leading_year(text: str) -> int | None:
    """The year a string starts with ("deux mil vingt-quatre", "2024"), or None."""
    found = _year_after(text[:120])
    return found[0] if found else None
