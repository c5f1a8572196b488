"""Rate limits on sign-in, password reset and the API."""

import pytest
from django.core.cache import cache
from django.test import override_settings

LOW = {"login": (3, 600), "password_reset": (2, 3600), "api": (4, 60)}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(MUTUALIS_RATE_LIMITS=LOW)
def test_password_reset_is_limited_per_address(client, db):
    for _ in range(2):
        assert (
            client.post("/comptes/mot-de-passe/oubli/", {"email": "x@example.fr"}).status_code
            == 302
        )
    response = client.post("/comptes/mot-de-passe/oubli/", {"email": "y@example.fr"})
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode() and int(response["Retry-After"]) > 0
    other = client.post(
        "/comptes/mot-de-passe/oubli/", {"email": "x@example.fr"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


@override_settings(MUTUALIS_RATE_LIMITS=LOW)
def test_sign_in_submissions_are_limited_per_address_across_usernames(client, db):
    for name in ("a", "b", "c"):
        assert (
            client.post("/comptes/connexion/", {"username": name, "password": "x"}).status_code
            == 200
        )
    assert client.post("/comptes/connexion/", {"username": "d", "password": "x"}).status_code == 429
    assert client.get("/comptes/connexion/").status_code == 200  # reading the page is not limited


@override_settings(MUTUALIS_RATE_LIMITS=LOW)
def test_the_api_is_limited_per_caller(client, coordinator, observer):
    client.force_login(coordinator)
    assert [client.get("/api/programme").status_code for _ in range(4)] == [200] * 4
    response = client.get("/api/programme")
    assert response.status_code == 429 and "Trop de demandes" in response.json()["detail"]
    client.force_login(observer)
    assert client.get("/api/programme").status_code == 200
