"""ProConnect's settings read from the environment (`MUTUALIS_OIDC_*`), as mozilla-django-oidc's.

Pure: `settings.py` calls `from_environment(os.environ, ...)` and the tests call it with the local
provider's values. Nothing is configured (no URL, no button, no backend) unless a client id and
either a discovery URL, an issuer or the endpoints are given. Endpoints not given are read from
the provider's discovery document the first time a sign-in needs them (never at start-up, so a
provider that is down never stops the platform, and password sign-in keeps working).
"""

import json
import urllib.request
from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.utils.functional import lazy

BACKEND = "mutualis.accounts.proconnect.ProConnectBackend"
DEFAULT_SCOPES = "openid email given_name usual_name siret"
DEFAULT_STRONG_ACR = "eidas2,eidas3"
DEFAULT_STALE_DAYS = 180

# discovery document key -> mozilla-django-oidc setting, MUTUALIS_OIDC_* variable
ENDPOINTS = {
    "authorization_endpoint": ("OIDC_OP_AUTHORIZATION_ENDPOINT", "AUTHORIZATION_ENDPOINT"),
    "token_endpoint": ("OIDC_OP_TOKEN_ENDPOINT", "TOKEN_ENDPOINT"),
    "userinfo_endpoint": ("OIDC_OP_USER_ENDPOINT", "USERINFO_ENDPOINT"),
    "jwks_uri": ("OIDC_OP_JWKS_ENDPOINT", "JWKS_ENDPOINT"),
    "end_session_endpoint": ("OIDC_OP_LOGOUT_ENDPOINT", "END_SESSION_ENDPOINT"),
    "issuer": ("MUTUALIS_OIDC_ISSUER", "ISSUER"),
}


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@cache
def discovery_document(url: str) -> dict[str, Any]:
    """The provider's OpenID configuration, read once per process (it is fixed for a provider)."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (https URL from settings)
        return json.load(response)


def _discovered(url: str, key: str) -> str:
    return str(discovery_document(url)[key])


_lazy_discovered = lazy(_discovered, str)


def from_environment(
    environ: Mapping[str, str], *, backends: list[str], csp: dict[str, list[str]]
) -> dict[str, Any]:
    """The settings to add: always the staleness delay; the rest only when ProConnect is set up."""

    def env(name: str, default: str = "") -> str:
        return environ.get(f"MUTUALIS_OIDC_{name}", "").strip() or default

    values: dict[str, Any] = {
        "MUTUALIS_OIDC_ENABLED": False,
        "MUTUALIS_OIDC_STALE_DAYS": int(env("STALE_DAYS", str(DEFAULT_STALE_DAYS))),
    }
    issuer = env("ISSUER").rstrip("/")
    discovery = env("DISCOVERY_URL") or (
        issuer + "/.well-known/openid-configuration" if issuer else ""
    )
    client_id = env("CLIENT_ID")
    if not client_id or not (discovery or env("AUTHORIZATION_ENDPOINT")):
        return values
    for key, (setting, variable) in ENDPOINTS.items():
        given = env(variable)
        values[setting] = given or (_lazy_discovered(discovery, key) if discovery else "")
    extra = {"acr_values": env("ACR_VALUES")} if env("ACR_VALUES") else {}
    values.update(
        MUTUALIS_OIDC_ENABLED=True,
        MUTUALIS_OIDC_STRONG_ACR=_split(env("STRONG_ACR", DEFAULT_STRONG_ACR)),
        MUTUALIS_OIDC_STRONG_AMR=_split(env("STRONG_AMR")),
        OIDC_RP_CLIENT_ID=client_id,
        OIDC_RP_CLIENT_SECRET=env("CLIENT_SECRET"),
        OIDC_RP_SCOPES=env("SCOPES", DEFAULT_SCOPES),
        OIDC_RP_SIGN_ALGO=env("SIGN_ALGO", "RS256"),
        OIDC_AUTH_REQUEST_EXTRA_PARAMS=extra,
        OIDC_USE_NONCE=True,
        OIDC_USE_PKCE=True,
        OIDC_STORE_ID_TOKEN=True,  # logout sends it back as id_token_hint
        OIDC_CREATE_USER=False,  # nobody gets an account or a role from the provider alone
        OIDC_TIMEOUT=int(env("TIMEOUT", "10")),
        OIDC_AUTHENTICATION_CALLBACK_URL="accounts:proconnect_callback",
        AUTHENTICATION_BACKENDS=[*backends, BACKEND],
        AXES_WHITELIST_CALLABLE="mutualis.accounts.proconnect.is_provider_callback",
    )
    # The logout form's redirect to the provider's end-session endpoint is a form action.
    origins = {
        f"{parts.scheme}://{parts.netloc}"
        for url in (discovery, issuer, env("END_SESSION_ENDPOINT"), env("AUTHORIZATION_ENDPOINT"))
        if url and (parts := urlsplit(url)).netloc
    }
    values["SECURE_CSP"] = {
        **csp,
        "form-action": [*csp.get("form-action", []), *sorted(origins)],
    }
    return values
