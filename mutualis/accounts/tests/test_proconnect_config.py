"""ProConnect's settings from the environment: off unless configured, then complete."""

from mutualis.accounts.proconnect import Identity, is_strong
from mutualis.accounts.proconnect_config import BACKEND, from_environment

BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
CSP = {"default-src": ["'self'"], "form-action": ["'self'"]}


def test_nothing_is_configured_without_a_client_id():
    values = from_environment(
        {"MUTUALIS_OIDC_ISSUER": "https://auth.example"}, backends=BACKENDS, csp=CSP
    )
    assert values == {"MUTUALIS_OIDC_ENABLED": False, "MUTUALIS_OIDC_STALE_DAYS": 180}


def test_explicit_endpoints_need_no_discovery():
    base = "https://fca.integ01.dev-agentconnect.fr/api/v2"
    values = from_environment(
        {
            "MUTUALIS_OIDC_CLIENT_ID": "abc",
            "MUTUALIS_OIDC_CLIENT_SECRET": "s3cret",
            "MUTUALIS_OIDC_ISSUER": base,
            "MUTUALIS_OIDC_AUTHORIZATION_ENDPOINT": base + "/authorize",
            "MUTUALIS_OIDC_TOKEN_ENDPOINT": base + "/token",
            "MUTUALIS_OIDC_USERINFO_ENDPOINT": base + "/userinfo",
            "MUTUALIS_OIDC_JWKS_ENDPOINT": base + "/jwks",
            "MUTUALIS_OIDC_END_SESSION_ENDPOINT": base + "/session/end",
            "MUTUALIS_OIDC_ACR_VALUES": "eidas1",
            "MUTUALIS_OIDC_STALE_DAYS": "90",
        },
        backends=BACKENDS,
        csp=CSP,
    )
    assert values["MUTUALIS_OIDC_ENABLED"] is True
    assert values["AUTHENTICATION_BACKENDS"] == [*BACKENDS, BACKEND]
    assert values["OIDC_OP_TOKEN_ENDPOINT"] == base + "/token"
    assert values["OIDC_OP_LOGOUT_ENDPOINT"] == base + "/session/end"
    assert values["MUTUALIS_OIDC_ISSUER"] == base
    assert values["OIDC_RP_SCOPES"] == "openid email given_name usual_name siret"
    assert values["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert values["OIDC_USE_PKCE"] and values["OIDC_USE_NONCE"]
    assert not values["OIDC_CREATE_USER"]
    assert values["OIDC_AUTH_REQUEST_EXTRA_PARAMS"] == {"acr_values": "eidas1"}
    assert values["MUTUALIS_OIDC_STALE_DAYS"] == 90
    assert values["SECURE_CSP"]["form-action"] == [
        "'self'",
        "https://fca.integ01.dev-agentconnect.fr",
    ]
    assert CSP["form-action"] == ["'self'"]  # the settings' own dict is not changed


def test_issuer_alone_reads_the_discovery_document_lazily():
    values = from_environment(
        {"MUTUALIS_OIDC_CLIENT_ID": "abc", "MUTUALIS_OIDC_ISSUER": "https://127.0.0.1:9/none"},
        backends=BACKENDS,
        csp=CSP,
    )
    # Nothing was fetched (port 9 answers nothing): the endpoint is read when first used.
    assert values["MUTUALIS_OIDC_ENABLED"] is True
    assert values["OIDC_AUTH_REQUEST_EXTRA_PARAMS"] == {}


def test_identity_keeps_the_siret_digits_and_lowercases_the_email():
    identity = Identity.from_claims(
        {
            "sub": "s1",
            "email": " Agent@Mairie-Odars.FR ",
            "given_name": "Alain",
            "usual_name": "Martin",
            "siret": "213 104 029 00012",
        }
    )
    assert identity.email == "agent@mairie-odars.fr"
    assert identity.siret == "21310402900012"


def test_strong_authentication_from_acr_or_amr():
    assert is_strong({"acr": "eidas2"}, acr_values=["eidas2"], amr_values=[])
    assert not is_strong({"acr": "eidas1"}, acr_values=["eidas2"], amr_values=[])
    assert is_strong({"acr": "eidas1", "amr": ["pwd", "mfa"]}, acr_values=[], amr_values=["mfa"])
    assert not is_strong({"amr": "pwd"}, acr_values=[], amr_values=["mfa"])
