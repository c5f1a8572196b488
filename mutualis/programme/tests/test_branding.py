"""The page header names the intercommunality of the programme file, with its logo if it has one,
and falls back to Mutualis alone."""

import pytest

from mutualis.programme.branding import brand_of


def test_the_sicoval_file_names_the_sicoval(settings):
    brand = brand_of(str(settings.MUTUALIS_DEFAULT_PROGRAMME_FILE))
    assert brand.name == "Sicoval" and brand.logo == ""


def test_a_logo_in_the_file_is_shown(tmp_path, settings):
    text = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "autre.toml"
    changed.write_text(
        text.replace(
            "review_period_months = 6\n",
            'review_period_months = 6\nlogo = "programme/epci.svg"\n',
            1,
        ),
        encoding="utf-8",
    )
    assert brand_of(str(changed)).logo == "programme/epci.svg"


def test_an_unreadable_file_gives_no_brand(tmp_path):
    assert brand_of(str(tmp_path / "absent.toml")) is None


@pytest.mark.django_db
def test_the_header_shows_the_intercommunality(client, observer):
    client.force_login(observer)
    page = client.get("/bilans/en-bref/").content.decode()
    assert '<a class="brand" href="/">Sicoval<span class="brand-sub">' in page
    assert 'aria-controls="main-nav"' in page and 'id="main-nav"' in page
