"""Matching councillors' names whatever their accents, case, order and titles."""

import pytest

from mutualis.membership.deliberations.names import name_key, same_person, strip_titles


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ARSEGUEL Patrice", "Patrice ARSÉGUEL"),
        ("JULIEN-DELANNOY Martine", "Martine Julien Delannoy"),
        ("M. Jean DUPONT", "DUPONT Jean"),
        ("Mme Cécile FAURE", "Madame FAURE Cécile"),
        ("Monsieur Éric SANS", "eric sans"),
        ("MM. DUPRAT", "Duprat"),
    ],
)
def test_same_person_ignores_accents_case_order_hyphens_and_titles(first, second):
    assert same_person(first, second)


def test_different_people_do_not_match():
    assert not same_person("DECROIX Jacques", "BRETHOUS Jacques")
    assert not same_person("", "")


def test_strip_titles_removes_every_leading_title():
    assert strip_titles("Mme Sylvie ROUQUETTE") == "Sylvie ROUQUETTE"
    assert strip_titles("Monsieur le Maire") == "le Maire"
    assert strip_titles("Marie MARTIN") == "Marie MARTIN"


def test_name_key_is_order_independent():
    assert name_key("Patrice ARSÉGUEL") == name_key("arseguel patrice") == "arseguel patrice"


def test_place_key_ignores_case_accents_hyphens_and_apostrophes():
    from mutualis.membership.deliberations.names import place_key

    assert place_key("ODARS") == place_key("Odars") == "odars"
    assert place_key("Saint-Orens-de-Gameville") == place_key("SAINT ORENS DE GAMEVILLE")
    assert place_key("Labège") == "labege"
    assert place_key("L'Isle-Jourdain") == "l isle jourdain"
