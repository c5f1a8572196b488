"""API writes with a personal token: no CSRF for a bearer token, CSRF still for session callers."""

import json
import urllib.request

import pytest
from django.test import Client

from mutualis.accounts.models import ApiToken, User
from mutualis.support.models import SupportRequest

REQUEST = {"insee_code": "31402", "category": "platform", "subject": "Écran", "description": "x"}


@pytest.mark.django_db
def test_a_post_with_a_valid_token_is_not_refused_for_csrf(odars_manager):
    _, key = ApiToken.issue(user=odars_manager, name="script")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/support/requests",
        REQUEST,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.content
    assert SupportRequest.objects.filter(subject="Écran", commune__insee_code="31402").exists()


@pytest.mark.django_db
def test_a_session_post_without_its_csrf_token_is_still_refused(odars_manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(odars_manager)
    response = client.post("/api/support/requests", REQUEST, content_type="application/json")
    assert response.status_code == 403
    assert not SupportRequest.objects.filter(subject="Écran").exists()


@pytest.mark.django_db
def test_a_wrong_token_is_answered_401_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/support/requests",
        REQUEST,
        content_type="application/json",
        headers={"Authorization": "Bearer nope"},
    )
    assert response.status_code == 401


def test_a_real_http_client_writes_with_a_token(live_server, committed_demo):
    _, key = ApiToken.issue(user=User.objects.get(username="odars-manager"), name="script")
    call = urllib.request.Request(  # noqa: S310 (the test server's http URL)
        f"{live_server.url}/api/support/requests",
        data=json.dumps(REQUEST).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(call, timeout=30) as response:  # noqa: S310
        assert response.status == 201
        assert json.load(response)["subject"] == "Écran"
