"""The reader never raises and stays linear, whatever text it is given."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.membership.deliberations.checks import CheckContext, check
from mutualis.membership.deliberations.reader import read_text
from mutualis.membership.deliberations.words import find_dates, leading_number, parse_number

SEED = (Path(__file__).with_name("documents") / "odars-2024-05-04.txt").read_text(encoding="utf-8")
WORDS = [
    "Présents", "Absents", "excusés", ":", " : ", "pouvoir", "procuration", "à", "par",
    "représenté", "Votants", "Exprimés", "Pour", "Contre", "Abstention", "L'an", "le", "mai",
    "deux", "mille", "vingt", "et", "un", "quatorze", "-", ",", ";", "(", ")", "\n", "\n\n",
    "M.", "Mme", "DUPONT", "Jean", "Fait à", "Odars", "Objet", "N°", "2024-05-04", "22/05/2024",
    "unanimité", "convocation", "séance du", "conseil communautaire", "|", "\t", "**", "13",
]  # fmt: skip
CONTEXT = CheckContext(commune_known=True, population_municipale=900)


def _read_and_check(text: str) -> None:
    reading = read_text(text)
    json.dumps(reading.to_dict(check(reading, context=CONTEXT)), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_read_text_never_raises_on_arbitrary_text(text):
    _read_and_check(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=300).map(" ".join))
def test_read_text_never_raises_on_deliberation_vocabulary(text):
    _read_and_check(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(SEED)), st.integers(0, 400), st.text(max_size=50))
def test_read_text_never_raises_on_a_damaged_seed(start, length, insert):
    _read_and_check(SEED[:start] + insert + SEED[start + length :])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_number_and_date_readers_never_raise(text):
    parse_number(text)
    leading_number(text)
    find_dates(text)


def test_long_hostile_inputs_are_read_without_error():
    """Inputs built to trigger regex backtracking. Speed is measured by the bench, not here (a
    timed assertion fails on a loaded machine); a catastrophic pattern would hang this test."""
    hostile = [
        "Présents : " + "A " * 60_000,
        "pouvoir à " * 20_000,
        "M. DUPONT a donné pouvoir à " * 8_000,
        "vingt " * 40_000,
        "| Pour | Contre |\n" * 10_000,
        "Présents : " + ", ".join(["Jean DUPONT"] * 15_000),
        "1/1/" * 40_000,
        SEED * 40,
        "pour " * 50_000,
        "secrétaire a été désigné " * 10_000,
        "convocation le " * 20_000,
    ]
    for text in hostile:
        _read_and_check(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096) | st.builds(lambda b: b"%PDF-1.4\n" + b, st.binary(max_size=512)))
def test_uploaded_bytes_are_read_or_refused_in_french_never_crash(data):
    from mutualis.membership.deliberations.pdf import UnreadableDocument, read_bytes

    try:
        text = read_bytes(data, "envoi.bin")
    except UnreadableDocument as error:
        assert "envoi.bin" in str(error) or "PDF" in str(error) or "OCR" in str(error)
    else:
        _read_and_check(text)
