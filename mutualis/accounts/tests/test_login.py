import pytest
from django.core import mail


@pytest.mark.django_db
def test_demo_account_signs_in(client):
    response = client.post(
        "/comptes/connexion/", {"username": "odars-manager", "password": "mutualis-demo"}
    )
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/communes/31402/"


@pytest.mark.django_db
def test_account_is_locked_after_five_failures(client):
    for _ in range(5):
        client.post("/comptes/connexion/", {"username": "odars-agent", "password": "wrong"})
    response = client.post(
        "/comptes/connexion/", {"username": "odars-agent", "password": "mutualis-demo"}
    )
    assert response.status_code == 429
    assert "temporairement bloqué" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_is_self_service_by_email(client, odars_agent):
    response = client.post("/comptes/mot-de-passe/oubli/", {"email": odars_agent.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/comptes/mot-de-passe/nouveau/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.request["PATH_INFO"],
        {"new_password1": "Un-Nouveau-Secret-42", "new_password2": "Un-Nouveau-Secret-42"},
    )
    assert done.status_code == 302
    odars_agent.refresh_from_db()
    assert odars_agent.check_password("Un-Nouveau-Secret-42")


@pytest.mark.django_db
def test_user_downloads_what_the_platform_holds_about_them(client, odars_manager):
    client.force_login(odars_manager)
    response = client.get("/comptes/profil/mes-donnees.json")
    data = response.json()
    assert data["identifiant"] == "odars-manager"
    assert data["rôles_communaux"][0]["commune"] == "Odars"
