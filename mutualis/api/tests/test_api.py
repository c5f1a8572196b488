import pytest

from mutualis.accounts.models import ApiToken


@pytest.mark.django_db
def test_openapi_description_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/communes" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


@pytest.mark.django_db
def test_anonymous_calls_are_refused(client):
    assert client.get("/api/communes").status_code == 401


@pytest.mark.django_db
def test_token_auth_and_commune_isolation(client, labege_manager):
    _, key = ApiToken.issue(user=labege_manager, name="test")
    headers = {"Authorization": f"Bearer {key}"}
    listed = client.get("/api/communes", headers=headers).json()
    assert [c["insee_code"] for c in listed["items"]] == ["31254"]
    response = client.get("/api/communes/31402", headers=headers)
    assert response.status_code == 404
    assert "Odars" not in response.content.decode()
    assert (
        client.get("/api/communes/31254", headers=headers).json()["populations"][-1]["vintage"]
        == 2026
    )


@pytest.mark.django_db
def test_revoked_token_is_refused(client, coordinator):
    from django.utils import timezone

    token, key = ApiToken.issue(user=coordinator, name="old")
    token.revoked_at = timezone.now()
    token.save()
    assert (
        client.get("/api/communes", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


@pytest.mark.django_db
def test_staff_sees_every_commune_and_the_programme(client, observer):
    client.force_login(observer)
    assert client.get("/api/communes?limit=100").json()["count"] == 36
    programme = client.get("/api/programme").json()
    assert programme["programme"]["slug"] == "sicoval-2024"
    members = client.get("/api/members").json()
    assert {
        "commune": "Odars",
        "insee_code": "31402",
        "offer": "Socle de base",
        "status": "joined",
    } in members
