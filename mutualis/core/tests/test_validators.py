"""Plausible values: business dates, text without NUL and of bounded length; forms too."""

from datetime import date

import pytest

from mutualis.core.validators import MAX_TEXT_LENGTH, date_problem, text_problem


def test_business_dates_are_plausible_between_2000_and_2100():
    assert date_problem(date(2026, 5, 4)) is None
    assert "n'est pas plausible" in date_problem(date(1, 1, 1))
    assert "0001-01-01" in date_problem(date(1, 1, 1))
    assert date_problem(date(2101, 1, 1)) is not None


def test_texts_with_a_nul_or_too_long_are_refused_in_french():
    assert text_problem("Odars") is None
    assert "caractère nul" in text_problem("a\x00b")
    assert "dépasse" in text_problem("x" * (MAX_TEXT_LENGTH + 1))


@pytest.mark.django_db
def test_a_form_field_beyond_the_limit_is_refused_naming_it(client, odars_manager):
    client.force_login(odars_manager)
    response = client.post(
        "/support/nouvelle/", {"subject": "x", "description": "y" * (MAX_TEXT_LENGTH + 1)}
    )
    assert response.status_code == 400
    assert response.content.decode() == (
        "Le champ « description » est refusé : le texte dépasse 100000 caractères (100001)."
    )


@pytest.mark.django_db
def test_a_nul_in_a_page_query_string_is_refused_not_a_500(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/information/recherche/?q=a%00b")
    assert response.status_code == 400
    assert "« q » est refusé : le texte contient un caractère nul" in response.content.decode()
