"""A real OpenID Connect provider for the ProConnect tests: deploy/oidc-provider, started once per
test session on a free port of 127.0.0.1, and the settings that point Mutualis at it."""

import importlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

PROVIDER = Path(__file__).resolve().parents[3] / "deploy" / "oidc-provider"
CLIENT_ID, CLIENT_SECRET = "mutualis-tests", "mutualis-tests-secret"
PASSWORD = "proconnect-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider's base URL; its identities are deploy/oidc-provider/identities.json."""
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="mutualis-oidc-provider-")
    env = {**os.environ, "OIDC_PROVIDER_DB": str(Path(workdir) / "provider.sqlite3")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, str(PROVIDER / "serve.py"), "--port", str(port)]
    command += ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    for host in ("127.0.0.1", "localhost", "testserver"):
        command += ["--redirect-uri", f"http://{host}/comptes/proconnect/retour/"]
        command += ["--post-logout-uri", f"http://{host}/comptes/connexion/"]
    log = open(Path(workdir) / "provider.log", "w")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/o/.well-known/openid-configuration", timeout=2)  # noqa: S310
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the local OpenID Connect provider did not start: " + log.name)
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=10)
    log.close()


def proconnect_settings(base: str, **extra: str) -> dict:
    from mutualis.accounts.proconnect_config import from_environment

    environ = {
        "MUTUALIS_OIDC_DISCOVERY_URL": base + "/o/.well-known/openid-configuration",
        "MUTUALIS_OIDC_CLIENT_ID": CLIENT_ID,
        "MUTUALIS_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        **{f"MUTUALIS_OIDC_{k}": v for k, v in extra.items()},
    }
    return from_environment(
        environ, backends=list(settings.AUTHENTICATION_BACKENDS), csp=settings.SECURE_CSP
    )


def _reload_urls() -> None:
    import mutualis.accounts.urls
    import mutualis.urls

    importlib.reload(mutualis.accounts.urls)
    importlib.reload(mutualis.urls)
    clear_url_caches()


@pytest.fixture
def proconnect(oidc_provider):
    """Mutualis configured for the local provider, its ProConnect URLs routed, for one test."""
    override = override_settings(**proconnect_settings(oidc_provider))
    override.enable()
    _reload_urls()
    try:
        yield oidc_provider
    finally:
        override.disable()
        _reload_urls()


def sign_in_at_provider(client, email: str, *, start: str = "/comptes/proconnect/") -> str:
    """The redirect dance without a browser: Mutualis' start URL, the provider's login form, its
    consent-free authorisation; returns the callback URL (path and query) the provider sends back."""
    import requests

    authorize = client.get(start)["Location"]
    provider = requests.Session()
    response = provider.get(authorize, allow_redirects=False)
    login_url = urljoin(authorize, response.headers["Location"])
    provider.get(login_url)
    response = provider.post(
        login_url,
        data={
            "username": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": provider.cookies["local_provider_csrftoken"],
            "next": parse_qs(urlsplit(login_url).query)["next"][0],
        },
        headers={"Referer": login_url},
        allow_redirects=False,
    )
    response = provider.get(urljoin(login_url, response.headers["Location"]), allow_redirects=False)
    callback = urlsplit(response.headers["Location"])
    return f"{callback.path}?{callback.query}"
