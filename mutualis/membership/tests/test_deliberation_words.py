"""French numbers and dates in words and in figures."""

from datetime import date

import pytest

from mutualis.membership.deliberations.words import (
    find_dates,
    leading_number,
    parse_date,
    parse_number,
    trailing_number,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("zéro", 0),
        ("un", 1),
        ("quatorze", 14),
        ("seize", 16),
        ("dix-sept", 17),
        ("vingt et un", 21),
        ("vingt-et-un", 21),
        ("vingt-deux", 22),
        ("trente et un", 31),
        ("soixante-dix", 70),
        ("soixante et onze", 71),
        ("soixante-dix-neuf", 79),
        ("quatre-vingts", 80),
        ("quatre-vingt-un", 81),
        ("quatre-vingt-dix-neuf", 99),
        ("cent", 100),
        ("cent un", 101),
        ("deux cents", 200),
        ("mille", 1000),
        ("mil neuf cent quatre-vingt-quinze", 1995),
        ("deux mil vingt-quatre", 2024),
        ("deux mille vingt-quatre", 2024),
        ("deux mille cent", 2100),
        ("QUATORZE", 14),
        ("13", 13),
        ("néant", 0),
    ],
)
def test_parse_number_reads_french_words_and_figures(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "deux trois", "et", "vingt et", "Patrice", "cent vingt cent"])
def test_parse_number_rejects_what_is_not_a_number(text):
    assert parse_number(text) is None


def test_leading_number_stops_at_the_first_word_that_is_not_a_number():
    assert leading_number(" : quatorze Présents : 10") == 14
    assert leading_number(": vingt et un ; représentés") == 21
    assert leading_number(" 10 Procurations") == 10


def test_leading_number_refuses_a_figure_glued_to_a_word():
    assert leading_number(" 20h30") is None
    assert leading_number(" ARSEGUEL Patrice") is None


def test_trailing_number_reads_the_words_before_a_label():
    assert trailing_number("adopté par onze") == 11
    assert trailing_number("Nombre : 15") == 15
    assert trailing_number("le tiers des") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 mai 2024", date(2024, 5, 22)),
        ("22/05/2024", date(2024, 5, 22)),
        ("22.05.2024", date(2024, 5, 22)),
        ("22-05-24", date(2024, 5, 22)),
        ("2024-05-22", date(2024, 5, 22)),
        ("le vingt-deux mai deux mille vingt-quatre", date(2024, 5, 22)),
        ("le premier juin deux mil vingt", date(2020, 6, 1)),
        ("1er juin 2024", date(2024, 6, 1)),
        ("le mercredi 22 MAI 2024 à 20h30", date(2024, 5, 22)),
        ("le trente et un décembre deux mille vingt-trois", date(2023, 12, 31)),
        ("le 3 août 2021", date(2021, 8, 3)),
        ("le 3 aout 2021", date(2021, 8, 3)),
        ("le vingt-deux du mois de mai deux mille vingt-quatre", date(2024, 5, 22)),
    ],
)
def test_parse_date_reads_dates_in_words_and_figures(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "le 32 mai 2024", "mai 2024", "le 12 sept heures"])
def test_parse_date_gives_none_for_impossible_or_incomplete_dates(text):
    assert parse_date(text) is None


def test_a_date_without_its_year_takes_the_year_given_by_the_caller():
    text = "L'an deux mil vingt-quatre, le vingt-deux mai à 20 heures 30"
    assert parse_date(text) is None
    assert parse_date(text, default_year=2024) == date(2024, 5, 22)


def test_find_dates_returns_every_date_in_order():
    hits = find_dates("convoqué le 17 mai 2024, réuni le 22/05/2024")
    assert [hit.value() for hit in hits] == [date(2024, 5, 17), date(2024, 5, 22)]
