"""A commune's manager invites and removes the commune's own agents (invitation email, audit
entry); coordinators keep their wider rights; a manager never touches another commune's people
nor grants a manager's or an intercommunal role."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from mutualis.accounts.models import CommuneRole, Invitation
from mutualis.accounts.services import end_commune_role, invite_user
from mutualis.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_manager_invites_an_agent_of_the_commune(client, odars_manager, odars):
    client.force_login(odars_manager)
    page = client.get("/comptes/communes/31402/personnes/").content.decode()
    assert "Inviter une personne" in page and 'value="manager"' not in page
    response = client.post(
        "/comptes/communes/31402/personnes/",
        {"email": "agent@odars.example", "commune_role": "agent"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="agent@odars.example")
    assert (invitation.commune, invitation.commune_role) == (odars, "agent")
    assert invitation.token in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="accounts.invited", commune_insee="31402").exists()


def test_a_manager_removes_an_agent_with_a_reason(client, odars_manager, odars_agent, odars):
    role = CommuneRole.objects.active().get(user=odars_agent, commune=odars, role="agent")
    client.force_login(odars_manager)
    client.post(
        f"/comptes/communes/31402/personnes/{role.pk}/retirer/", {"reason": "Départ en retraite"}
    )
    role.refresh_from_db()
    assert role.ended_at and role.ended_by == odars_manager  # ended, never deleted
    assert role.end_reason == "Départ en retraite"
    assert AuditEvent.objects.filter(action="accounts.role_ended", commune_insee="31402").exists()


def test_a_manager_cannot_grant_a_manager_or_staff_role(odars_manager, odars):
    with pytest.raises(PermissionDenied):
        invite_user(
            email="x@odars.example", by=odars_manager, commune=odars, commune_role="manager"
        )
    with pytest.raises(PermissionDenied):
        invite_user(email="x@odars.example", by=odars_manager, staff_role="coordinator")
    assert not Invitation.objects.filter(email="x@odars.example").exists()


def test_a_manager_never_touches_another_communes_people(
    client, labege_manager, odars_agent, odars, odars_manager
):
    client.force_login(labege_manager)
    assert client.get("/comptes/communes/31402/personnes/").status_code == 404
    role = CommuneRole.objects.active().get(user=odars_agent, commune=odars, role="agent")
    response = client.post(f"/comptes/communes/31402/personnes/{role.pk}/retirer/", {"reason": "x"})
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        invite_user(email="y@odars.example", by=labege_manager, commune=odars, commune_role="agent")
    manager_role = CommuneRole.objects.active().get(user=odars_manager, commune=odars)
    with pytest.raises(PermissionDenied):
        end_commune_role(commune_role=manager_role, by=labege_manager, reason="x", check=True)
    role.refresh_from_db()
    assert role.ended_at is None


def test_an_agent_cannot_manage_people_but_a_coordinator_can(
    client, odars_agent, coordinator, odars
):
    client.force_login(odars_agent)
    assert client.get("/comptes/communes/31402/personnes/").status_code == 404
    client.force_login(coordinator)
    page = client.get("/comptes/communes/31402/personnes/").content.decode()
    assert 'value="manager"' in page  # coordinators grant every commune role


def test_staff_roles_are_read_without_the_join_unless_they_hold_one(coordinator, odars):
    """Every page's menu asks for the person's commune roles: staff who hold none are answered
    by one plain existence check (no join on communes); a staff member who also holds a commune
    role still sees it, as before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mutualis.accounts.models import User
    from mutualis.accounts.services import grant_commune_role

    with CaptureQueriesContext(connection) as queries:
        assert User.objects.get(pk=coordinator.pk).active_commune_roles() == []
    assert len(queries) == 2  # the user, then the roles
    assert "territory_commune" not in queries[1]["sql"]

    grant_commune_role(user=coordinator, commune=odars, role="manager", by=coordinator)
    user = User.objects.get(pk=coordinator.pk)
    assert [(r.commune, r.role) for r in user.active_commune_roles()] == [(odars, "manager")]
    assert user.communes() == [odars]
