"""The session and the signed-in user, read by prepared queries: the same answers as Django's own."""

from datetime import timedelta

import pytest
from django.contrib.auth import backends as django_backends
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mutualis.accounts.backends import ModelBackend
from mutualis.accounts.middleware import has_confirmed_device
from mutualis.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_loads_and_an_expired_or_unknown_one_does_not():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    key = store.session_key
    assert SessionStore(session_key=key).load() == DjangoSessionStore(session_key=key).load()
    assert SessionStore(session_key=key)["answer"] == 42

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=key)
    assert expired.load() == {} and expired.session_key is None

    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_the_backend_answers_as_djangos_for_active_inactive_and_unknown_users(coordinator):
    ours, django = ModelBackend(), django_backends.ModelBackend()
    user = ours.get_user(coordinator.pk)
    assert user == django.get_user(coordinator.pk)
    assert (user.username, user.staff_role, user.password) == (
        coordinator.username,
        coordinator.staff_role,
        coordinator.password,
    )
    assert ours.get_user(-1) is None and django.get_user(-1) is None
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert ours.get_user(coordinator.pk) is None and django.get_user(coordinator.pk) is None


def test_a_signed_in_client_goes_through_both(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/tableau-de-bord/")
    assert response.status_code == 200
    assert response.wsgi_request.user == coordinator
    assert isinstance(response.wsgi_request.session, SessionStore)


def test_only_a_confirmed_device_counts(referent):
    assert not has_confirmed_device(referent)
    device = TOTPDevice.objects.create(user=referent, name="x", confirmed=False)
    assert not has_confirmed_device(referent)
    device.confirmed = True
    device.save()
    assert has_confirmed_device(referent)
