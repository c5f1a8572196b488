"""Rate limits and lockout that hold across workers and servers, and behind the reverse proxy."""

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings

from mutualis.core.models import RateCounter
from mutualis.core.ratelimit import client_address, hit

LOW = {"login": (3, 600), "password_reset": (2, 3600), "api": (4, 60)}
PROXY = "10.0.0.1"  # what every request carries as REMOTE_ADDR behind the reverse proxy


@override_settings(MUTUALIS_RATE_LIMITS=LOW)
def test_the_limit_holds_when_each_call_is_served_by_another_worker(coordinator):
    # Each worker has its own memory cache: emptying it before each call is what a call served
    # by another worker (or server) sees. The limit must hold all the same.
    workers = [Client(), Client()]
    for worker in workers:
        worker.force_login(coordinator)
    statuses = []
    for n in range(6):
        caches["default"].clear()
        statuses.append(workers[n % 2].get("/api/programme").status_code)
    assert statuses == [200, 200, 200, 200, 429, 429]


@pytest.mark.django_db
def test_counters_live_in_the_database_and_past_windows_are_removed():
    assert [hit("t:x", limit=2, window=60) for _ in range(3)][:2] == [None, None]
    assert RateCounter.objects.get(key__startswith="t:x:").count == 3
    hit("t:y", limit=2, window=1)
    RateCounter.objects.update(expires_at="2000-01-01T00:00:00Z")
    hit("t:z", limit=2, window=60)
    assert list(RateCounter.objects.values_list("key", flat=True)) == [
        RateCounter.objects.get().key
    ]


def _request(forwarded: str):
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(MUTUALIS_BEHIND_PROXY=False)
def test_the_forwarded_header_is_ignored_when_not_behind_a_proxy():
    assert client_address(_request("203.0.113.9")) == PROXY


@override_settings(MUTUALIS_BEHIND_PROXY=True, MUTUALIS_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_client_is_the_address_it_appended():
    assert client_address(_request("6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_address(_request("not-an-address")) == PROXY
    assert client_address(_request("")) == PROXY


@override_settings(MUTUALIS_BEHIND_PROXY=True, MUTUALIS_TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_spoofed_left_part_is_skipped():
    assert client_address(_request("6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
    assert client_address(_request("10.0.0.2")) == PROXY


@pytest.mark.django_db
@override_settings(MUTUALIS_BEHIND_PROXY=True, MUTUALIS_TRUSTED_PROXIES=1)
def test_a_stranger_behind_the_proxy_cannot_lock_out_the_mayor(client):
    for _ in range(6):
        client.post(
            "/comptes/connexion/",
            {"username": "odars-manager", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    mayor = Client().post(
        "/comptes/connexion/",
        {"username": "odars-manager", "password": "mutualis-demo"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert mayor.status_code == 302


@pytest.mark.django_db
@override_settings(MUTUALIS_RATE_LIMITS=LOW, MUTUALIS_BEHIND_PROXY=True)
def test_sign_in_limits_count_each_client_behind_the_proxy_on_its_own(client):
    def sign_in(address):
        return client.post(
            "/comptes/connexion/",
            {"username": "x", "password": "x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        ).status_code

    assert [sign_in("203.0.113.9") for _ in range(4)] == [200, 200, 200, 429]
    assert sign_in("198.51.100.7") == 200
