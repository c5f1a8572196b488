import pytest

from mutualis.programme.services import load_programme
from mutualis.programme.tests.test_schema import SICOVAL


@pytest.mark.django_db
def test_the_page_shows_the_offers_of_the_version_in_force(client):
    html = client.get("/programme/").content.decode()
    assert "Mutualisation DSI du Sicoval 2024-2027" in html
    assert "Premiers conseils de sécurisation" in html
    assert "0,50 € par habitant l'année 1" in html or "0.50 € par habitant l'année 1" in html


@pytest.mark.django_db
def test_a_new_version_shows_at_once_though_the_page_is_kept_per_version(client):
    # The offers are rendered once per process under the version's sha256, number and date:
    # loading a changed file must change the page without any invalidation.
    before = client.get("/programme/").content.decode()
    assert before == client.get("/programme/").content.decode()
    assert "<li>Premiers conseils de sécurisation</li>" in before
    load_programme(
        text=SICOVAL.replace(
            'name = "Premiers conseils de sécurisation"', 'name = "Conseils de sécurisation"'
        ),
        source="test.toml",
    )
    after = client.get("/programme/").content.decode()
    assert "<li>Premiers conseils de sécurisation</li>" not in after
    assert "<li>Conseils de sécurisation</li>" in after
    assert "<dd>2 (" in after and "<dd>1 (" in before
