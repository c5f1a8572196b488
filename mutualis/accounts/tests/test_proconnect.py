"""Sign-in with ProConnect through a real OpenID Connect provider (deploy/oidc-provider), the
redirect dance driven without a browser (the browser version is in test_browser.py)."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import override_settings

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.models import AccessRequest, CommuneRole, Invitation, User
from mutualis.accounts.proconnect import ProConnectBackend
from mutualis.accounts.services import invite_user
from mutualis.accounts.tests.conftest import sign_in_at_provider
from mutualis.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_AGENT = "nouvelle.agente@mairie-odars.fr"
STRANGER = "inconnu@mairie-odars.fr"


def _text(response) -> str:
    return unescape(response.content.decode())


def _sign_in(client, email: str):
    return client.get(sign_in_at_provider(client, email))


def test_proconnect_is_off_unless_configured(client, settings):
    assert not settings.MUTUALIS_OIDC_ENABLED
    assert not any("ProConnect" in b for b in settings.AUTHENTICATION_BACKENDS)
    assert "ProConnect" not in client.get("/comptes/connexion/").content.decode()
    assert client.get("/comptes/proconnect/").status_code == 404
    assert client.get("/comptes/proconnect/retour/?code=x&state=y").status_code == 404


def test_sign_in_page_shows_the_proconnect_button_above_the_password_form(proconnect, client):
    page = client.get("/comptes/connexion/").content.decode()
    assert "S’identifier avec" in page and "Qu’est-ce que ProConnect ?" in page
    assert page.index('class="proconnect-button"') < page.index('name="password"')
    assert "/static/accounts/proconnect.css" in page  # self-hosted, no CDN


def test_start_asks_for_the_proconnect_scopes_with_state_nonce_and_pkce(proconnect, client):
    location = client.get("/comptes/proconnect/")["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(proconnect + "/o/authorize/")
    assert query["scope"] == ["openid email given_name usual_name siret"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]


def test_invited_agent_signs_in_with_proconnect_and_lands_on_odars(proconnect, client, coordinator):
    from mutualis.territory.models import Commune

    odars = Commune.objects.get(insee_code="31402")
    invite_user(email=NEW_AGENT, by=coordinator, commune=odars, commune_role=CommuneRoleKind.AGENT)
    response = _sign_in(client, NEW_AGENT)
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/communes/31402/"
    user = User.objects.get(email=NEW_AGENT)
    assert user.siret == "21310402900012" and user.proconnect_sub and user.proconnect_seen_at
    assert not user.has_usable_password()
    assert user.roles_in(odars.pk) == {CommuneRoleKind.AGENT}
    assert Invitation.objects.get(email=NEW_AGENT).accepted_by == user
    signed_in = AuditEvent.objects.filter(action="accounts.signed_in", actor=user).get()
    assert signed_in.changes["method"] == "proconnect"


def test_existing_account_is_matched_by_email_whatever_its_case(proconnect, client, odars_agent):
    User.objects.filter(pk=odars_agent.pk).update(email="Odars-Agent@Demo.Mutualis.localhost")
    _sign_in(client, "odars-agent@demo.mutualis.localhost")
    assert client.get("/", follow=True).request["PATH_INFO"] == "/communes/31402/"
    assert int(client.session["_auth_user_id"]) == odars_agent.pk


def test_stranger_gets_no_role_and_is_told_whom_to_ask(proconnect, client):
    response = _sign_in(client, STRANGER)
    assert response["Location"] == "/comptes/proconnect/sans-role/"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "pas encore de rôle" in page and "Odars" in page and "Sicoval" in page
    request = AccessRequest.objects.get(email=STRANGER)
    assert request.commune.name == "Odars" and request.siret == "21310402900012"
    assert not User.objects.filter(email=STRANGER).exists()
    assert client.get("/tableau-de-bord/").status_code == 302  # not signed in


def test_known_person_without_any_role_is_not_let_in(proconnect, client, odars_agent, coordinator):
    for role in odars_agent.commune_roles.all():
        role.ended_at = role.granted_at
        role.save()
    response = _sign_in(client, odars_agent.email)
    assert response["Location"] == "/comptes/proconnect/sans-role/"
    assert AccessRequest.objects.get(email=odars_agent.email).user == odars_agent


def test_coordinator_grants_the_role_in_one_step_then_the_person_gets_in(
    proconnect, client, coordinator
):
    _sign_in(client, STRANGER)
    request = AccessRequest.objects.get(email=STRANGER)
    staff = client.__class__()
    staff.force_login(coordinator)
    page = staff.get("/comptes/demandes-acces/").content.decode()
    assert STRANGER in page and "<strong>Odars</strong>" in page
    response = staff.post(
        f"/comptes/demandes-acces/{request.pk}/attribuer/",
        {f"r{request.pk}-commune": request.commune_id, f"r{request.pk}-role": "agent"},
    )
    assert response.status_code == 302
    person = User.objects.get(email=STRANGER)
    assert person.roles_in(request.commune_id) == {"agent"}
    stranger = client.__class__()
    _sign_in(stranger, STRANGER)
    assert stranger.get("/", follow=True).request["PATH_INFO"] == "/communes/31402/"


def test_commune_manager_answers_only_their_communes_requests(
    proconnect, client, odars_manager, labege_manager
):
    _sign_in(client, STRANGER)
    request = AccessRequest.objects.get(email=STRANGER)
    labege = client.__class__()
    labege.force_login(labege_manager)
    assert STRANGER not in labege.get("/comptes/demandes-acces/").content.decode()
    grant = f"/comptes/demandes-acces/{request.pk}/attribuer/"
    form = {f"r{request.pk}-commune": request.commune_id, f"r{request.pk}-role": "agent"}
    assert labege.post(grant, form).status_code == 404
    odars = client.__class__()
    odars.force_login(odars_manager)
    assert STRANGER in odars.get("/comptes/demandes-acces/").content.decode()
    odars.post(grant, {**form, f"r{request.pk}-role": "manager"})  # not theirs to give
    assert not CommuneRole.objects.filter(user__email=STRANGER).exists()
    odars.post(grant, form)
    assert CommuneRole.objects.get(user__email=STRANGER).role == "agent"


def test_unrelated_organisation_is_shown_no_commune(proconnect, client, odars_manager):
    _sign_in(client, "personne@ailleurs.example")
    assert AccessRequest.objects.get(email="personne@ailleurs.example").commune is None
    odars = client.__class__()
    odars.force_login(odars_manager)
    assert "personne@ailleurs" not in odars.get("/comptes/demandes-acces/").content.decode()


def test_tampered_id_token_is_refused_with_a_french_message(proconnect, client, monkeypatch):
    real_get_token = ProConnectBackend.get_token

    def tampered(self, payload):
        tokens = real_get_token(self, payload)
        header, body, signature = tokens["id_token"].split(".")
        flipped = "A" if body[10] != "A" else "B"
        tokens["id_token"] = ".".join([header, body[:10] + flipped + body[11:], signature])
        return tokens

    monkeypatch.setattr(ProConnectBackend, "get_token", tampered)
    response = _sign_in(client, "odars-agent@demo.mutualis.localhost")
    page = _text(response)
    assert response.status_code == 400
    assert "n'a pas pu être vérifiée" in page and "Recommencez" in page
    assert "_auth_user_id" not in client.session


def _userinfo_answers(monkeypatch, rewrite=None) -> list[str]:
    """Spy on (and optionally rewrite the body of) the provider's userinfo answers."""
    from mozilla_django_oidc import auth

    real_get, seen = auth.requests.get, []

    def get(url, **kwargs):
        response = real_get(url, **kwargs)
        if "userinfo" not in url:  # the provider's keys are fetched the same way
            return response
        seen.append(response.headers.get("content-type", ""))
        if rewrite is not None:
            response._content = rewrite(response.content)
        return response

    monkeypatch.setattr(auth.requests, "get", get)
    return seen


def test_userinfo_signed_as_proconnect_signs_it_is_verified(proconnect, client, monkeypatch):
    seen = _userinfo_answers(monkeypatch)
    response = _sign_in(client, "odars-agent@demo.mutualis.localhost")
    assert response.status_code == 302
    assert seen == ["application/jwt"]  # as ProConnect answers, not JSON
    assert client.session["_auth_user_id"]


def test_tampered_userinfo_is_refused_with_a_french_message(proconnect, client, monkeypatch):
    def flip(body: bytes) -> bytes:
        header, claims, signature = body.decode().split(".")
        flipped = "A" if claims[10] != "A" else "B"
        return ".".join([header, claims[:10] + flipped + claims[11:], signature]).encode()

    _userinfo_answers(monkeypatch, rewrite=flip)
    response = _sign_in(client, "odars-agent@demo.mutualis.localhost")
    assert response.status_code == 400
    assert "n'a pas pu être vérifiée" in _text(response)
    assert "_auth_user_id" not in client.session


def test_replayed_state_is_refused_with_a_french_message(proconnect, client):
    callback = sign_in_at_provider(client, "odars-agent@demo.mutualis.localhost")
    assert client.get(callback).status_code == 302
    replay = client.get(callback)  # same browser: its state was used once and removed
    assert replay.status_code == 400
    assert "n'a pas pu être vérifiée" in _text(replay)


def test_callback_without_state_in_session_is_refused_in_french(proconnect, client):
    callback = sign_in_at_provider(client, "odars-agent@demo.mutualis.localhost")
    other = client.__class__()
    response = other.get(callback)
    assert response.status_code == 400
    assert "n'a pas abouti" in _text(response)


def test_provider_error_is_answered_in_french(proconnect, client):
    response = client.get("/comptes/proconnect/retour/?error=access_denied&state=x")
    assert response.status_code == 400
    assert "interrompue ou refusée par ProConnect" in _text(response)


def test_provider_unreachable_is_answered_in_french(proconnect, client, monkeypatch):
    callback = sign_in_at_provider(client, "odars-agent@demo.mutualis.localhost")

    def down(self, payload):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(ProConnectBackend, "get_token", down)
    response = client.get(callback)
    assert response.status_code == 502
    assert "n'a pas répondu" in _text(response)


def test_deactivated_account_cannot_sign_in_with_proconnect(proconnect, client, odars_agent):
    from mutualis.operations.personal_data import deactivate_account

    deactivate_account(
        user=odars_agent, by=User.objects.get(username="coordinator"), reason="Départ"
    )
    response = _sign_in(client, odars_agent.email)
    assert response["Location"] == "/comptes/proconnect/sans-role/"
    assert "_auth_user_id" not in client.session


@override_settings(MUTUALIS_REQUIRE_2FA_FOR_COORDINATORS=True)
def test_coordinator_skips_totp_only_when_provider_asserts_strong_authentication(
    proconnect, client, settings
):
    # The local provider asserts acr=eidas2 for the coordinator, accepted by default.
    _sign_in(client, "coordinator@demo.mutualis.localhost")
    assert client.get("/tableau-de-bord/").status_code == 200
    settings.MUTUALIS_OIDC_STRONG_ACR = ["eidas3"]
    weaker = client.__class__()
    _sign_in(weaker, "coordinator@demo.mutualis.localhost")
    response = weaker.get("/tableau-de-bord/")
    assert response.status_code == 302 and "/double-authentification/" in response["Location"]


def test_password_sign_in_is_audited_with_its_method(client, odars_manager):
    client.post("/comptes/connexion/", {"username": "odars-manager", "password": "mutualis-demo"})
    event = AuditEvent.objects.get(action="accounts.signed_in", actor=odars_manager)
    assert event.changes["method"] == "password"


def test_logout_also_ends_the_provider_session(proconnect, client):
    _sign_in(client, "odars-agent@demo.mutualis.localhost")
    id_token = client.session["oidc_id_token"]
    response = client.post("/comptes/deconnexion/")
    assert "_auth_user_id" not in client.session
    location = response["Location"]
    assert location.startswith(proconnect + "/o/logout/")
    query = parse_qs(urlsplit(location).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/comptes/connexion/"]
    provider = requests.get(location, allow_redirects=False, timeout=10)
    assert provider.status_code == 302
    assert provider.headers["Location"].startswith("http://testserver/comptes/connexion/")


def test_password_sign_out_stays_here(proconnect, client, odars_manager):
    client.force_login(odars_manager)
    assert client.post("/comptes/deconnexion/")["Location"] == "/comptes/connexion/"


def test_every_proconnect_url_declares_its_access_rule(proconnect):
    from django.urls import get_resolver

    from mutualis.core.access import declared_rule

    accounts = get_resolver().url_patterns
    names = {}
    for pattern in accounts:
        for inner in getattr(pattern, "url_patterns", []):
            if getattr(inner, "name", "") and getattr(pattern, "namespace", "") == "accounts":
                names[inner.name] = inner.callback
    new = {"proconnect_start", "proconnect_callback", "proconnect_pending", "access_requests"}
    assert new | {"grant_access_request"} <= set(names)
    assert all(declared_rule(names[name]) is not None for name in [*new, "grant_access_request"])


def test_access_requests_page_is_in_the_menu_of_coordinators_and_managers(
    proconnect, client, coordinator, odars_manager, odars_agent
):
    for user, shown in ((coordinator, True), (odars_manager, True), (odars_agent, False)):
        client.force_login(user)
        page = client.get("/programme/").content.decode()
        assert ('href="/comptes/demandes-acces/"' in page) is shown, user


def test_invitation_page_offers_to_accept_with_proconnect(proconnect, client, coordinator, odars):
    invitation = invite_user(
        email=NEW_AGENT, by=coordinator, commune=odars, commune_role=CommuneRoleKind.AGENT
    )
    page = _text(client.get(f"/comptes/invitation/{invitation.token}/"))
    assert "l’invitation est acceptée du même coup" in page
    assert 'href="/comptes/proconnect/"' in page


def test_repeated_sign_ins_of_a_stranger_do_not_lock_anyone_out(proconnect, client):
    for _ in range(6):
        stranger = client.__class__()
        assert _sign_in(stranger, STRANGER)["Location"] == "/comptes/proconnect/sans-role/"
    response = client.post(
        "/comptes/connexion/", {"username": "odars-agent", "password": "mutualis-demo"}
    )
    assert response.status_code == 302


def test_unanswered_access_requests_are_removed_with_old_sign_in_logs(proconnect, client, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    _sign_in(client, STRANGER)
    call_command("clean_expired")
    assert AccessRequest.objects.filter(email=STRANGER).exists()
    AccessRequest.objects.update(
        last_seen_at=timezone.now() - timedelta(days=settings.MUTUALIS_ACCESS_LOG_DAYS + 1)
    )
    call_command("clean_expired")
    assert not AccessRequest.objects.exists()


def test_coordinators_and_the_communes_managers_are_told_once(
    proconnect, client, coordinator, odars_manager, labege_manager
):
    from django.core import mail

    _sign_in(client, STRANGER)
    _sign_in(client.__class__(), STRANGER)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert coordinator.email in message.to and odars_manager.email in message.to
    assert labege_manager.email not in message.to
    assert "/comptes/demandes-acces/" in message.body and "Odars" in message.body
