"""Sign-in with ProConnect: mozilla-django-oidc's backend, matched to our accounts by email.

mozilla-django-oidc checks the state (once: it is removed from the session before the token is
asked for), the nonce, sends the PKCE verifier, and verifies the ID token's RS256 signature against
the provider's JWKS. This backend adds what ProConnect's relying parties must check besides (the
token's issuer and audience), and never creates a role: `services.match_proconnect_identity`
decides whether the person gets in, through an account with a role or a pending invitation.
"""

import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from mutualis.accounts.models import AccessRequest

# Session keys: the access request of a person who got no role (the callback shows whom to ask),
# and whether the provider asserted a strong authentication (then TOTP is not asked again).
PENDING_SESSION_KEY = "proconnect_access_request"
STRONG_SESSION_KEY = "proconnect_strong_authentication"
METHOD_SESSION_KEY = "sign_in_method"


class UnverifiedAnswer(Exception):
    """The provider's userinfo could not be verified (signature, issuer, audience, subject).

    mozilla-django-oidc turns a SuspiciousOperation raised while getting the user into a plain
    failed sign-in; this one reaches the callback view, which says what happened."""


@dataclass(frozen=True)
class Identity:
    """What ProConnect vouches for about a person (its claims, trimmed)."""

    sub: str
    email: str
    given_name: str
    usual_name: str
    siret: str

    @classmethod
    def from_claims(cls, claims: dict) -> "Identity":
        def text(name: str) -> str:
            value = claims.get(name) or ""
            return value.strip() if isinstance(value, str) else ""

        siret = "".join(ch for ch in text("siret") if ch.isdigit())[:14]
        return cls(
            sub=text("sub"),
            email=text("email").lower(),
            given_name=text("given_name"),
            usual_name=text("usual_name") or text("family_name"),
            siret=siret,
        )


def is_strong(payload: dict, *, acr_values: list[str], amr_values: list[str]) -> bool:
    """The ID token asserts an authentication the settings accept as a second factor."""
    amr = payload.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return payload.get("acr") in acr_values or bool(set(amr) & set(amr_values))


class ProConnectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if "nonce" not in kwargs:  # only the ProConnect callback passes one, not password forms
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = str(getattr(settings, "MUTUALIS_OIDC_ISSUER", "") or "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(_("Jeton d'identité émis par un autre fournisseur."))
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(_("Jeton d'identité émis pour un autre service."))
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        from mutualis.accounts.services import match_proconnect_identity

        try:  # ProConnect signs its userinfo: verify_token checks it as it does the ID token
            claims = self.get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation as error:
            raise UnverifiedAnswer(str(error)) from error
        identity = Identity.from_claims(claims)
        if not identity.email or not identity.sub or identity.sub != payload.get("sub"):
            raise UnverifiedAnswer(
                _("Informations de l'utilisateur sans adresse ou pour une autre personne.")
            )
        matched = match_proconnect_identity(identity=identity)
        session = self.request.session
        if isinstance(matched, AccessRequest):
            session[PENDING_SESSION_KEY] = matched.pk
            return None
        session.pop(PENDING_SESSION_KEY, None)
        session[STRONG_SESSION_KEY] = is_strong(
            payload,
            acr_values=settings.MUTUALIS_OIDC_STRONG_ACR,
            amr_values=settings.MUTUALIS_OIDC_STRONG_AMR,
        )
        return matched


def is_provider_callback(request, credentials: dict | None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: a ProConnect callback guesses no password (the
    provider guards its own sign-in), so a person without a role locks nobody out."""
    return bool(credentials) and "nonce" in credentials


def end_session_url(request, id_token: str) -> str:
    """The provider's logout with `id_token_hint`, back to our sign-in page; '' if none."""
    endpoint = str(getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "") or "")
    if not endpoint or not id_token:
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
            "state": secrets.token_urlsafe(16),
        }
    )
    return f"{endpoint}?{query}"
