"""The successor's file, written from the current one without a database."""

from datetime import date

import pytest
from django.conf import settings

from mutualis.programme.schema import ProgrammeFileError, parse_programme
from mutualis.programme.successor import successor_file

TEXT = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8")


def test_the_successor_file_has_its_identity_dates_and_predecessor_and_keeps_the_rest():
    text = successor_file(
        TEXT, slug="sicoval-2027", name="Sicoval 2027", start=date(2027, 7, 1),
        end=date(2030, 6, 30), free_exit_date=date(2028, 12, 31),
    )  # fmt: skip
    spec = parse_programme(text, source="x")
    info = spec.programme
    assert (info.slug, info.name, info.predecessor) == (
        "sicoval-2027",
        "Sicoval 2027",
        "sicoval-2024",
    )
    assert (info.start, info.end, info.free_exit_date) == (
        date(2027, 7, 1),
        date(2030, 6, 30),
        date(2028, 12, 31),
    )
    assert spec.offers == parse_programme(TEXT, source="y").offers
    assert spec.contributions.rates_count_from == "this_programme"


def test_a_successor_file_with_wrong_dates_is_refused():
    with pytest.raises(ProgrammeFileError):
        successor_file(
            TEXT, slug="sicoval-2027", name="x", start=date(2030, 7, 1), end=date(2027, 6, 30),
            free_exit_date=None,
        )  # fmt: skip
