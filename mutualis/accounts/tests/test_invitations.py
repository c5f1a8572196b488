import pytest
from django.core import mail

from mutualis.accounts.models import Invitation, User


@pytest.mark.django_db
def test_coordinator_invites_a_commune_agent_who_creates_an_account(client, coordinator, odars):
    client.force_login(coordinator)
    response = client.post(
        "/comptes/invitations/",
        {"email": "Secretaire@Odars.example", "commune": odars.pk, "commune_role": "agent"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="secretaire@odars.example")
    assert invitation.token in mail.outbox[0].body
    client.logout()
    created = client.post(
        f"/comptes/invitation/{invitation.token}/",
        {
            "first_name": "Sandrine",
            "last_name": "Secrétaire",
            "username": "sandrine",
            "password": "Odars-Mairie-2026!",
        },
    )
    assert created.status_code == 302
    user = User.objects.get(username="sandrine")
    assert user.roles_in(odars.pk) == {"agent"}
    assert client.get(f"/comptes/invitation/{invitation.token}/").status_code == 410


@pytest.mark.django_db
def test_an_accepted_invitation_leaves_the_new_user_signed_in(client, coordinator, odars):
    invitation = Invitation.objects.create(
        email="agent@odars.example", commune=odars, commune_role="agent", invited_by=coordinator
    )
    client.post(
        f"/comptes/invitation/{invitation.token}/",
        {
            "first_name": "Paul",
            "last_name": "Agent",
            "username": "paul",
            "password": "Odars-Mairie-2026!",
        },
    )
    # Signed in with a backend of AUTHENTICATION_BACKENDS: the next request knows the user.
    profile = client.get("/comptes/profil/")
    assert profile.status_code == 200 and profile.context["user"].username == "paul"


@pytest.mark.django_db
def test_invitation_needs_exactly_one_kind_of_role(client, coordinator, odars):
    client.force_login(coordinator)
    response = client.post(
        "/comptes/invitations/",
        {
            "email": "x@example.org",
            "staff_role": "referent",
            "commune": odars.pk,
            "commune_role": "agent",
        },
    )
    assert response.status_code == 200
    assert "soit un rôle intercommunal" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_commune_people_cannot_invite_from_the_coordinator_page(client, odars_manager):
    client.force_login(odars_manager)
    assert client.get("/comptes/invitations/").status_code == 403


@pytest.mark.django_db
def test_switching_to_a_commune_one_does_not_belong_to_is_refused(
    client, odars_manager, labege, odars
):
    from mutualis.accounts.services import grant_commune_role

    grant_commune_role(user=odars_manager, commune=labege, role="agent", by=None)
    client.force_login(odars_manager)
    assert (
        client.post("/comptes/commune-active/", {"commune_id": labege.pk, "next": "/ma-commune/"})[
            "Location"
        ]
        == "/ma-commune/"
    )
    assert client.get("/ma-commune/")["Location"] == "/communes/31254/"
    goyrans = odars.__class__.objects.get(insee_code="31227")
    assert client.post("/comptes/commune-active/", {"commune_id": goyrans.pk}).status_code == 404
