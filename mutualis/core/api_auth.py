"""API authentication (a session with CSRF, or a personal bearer token) and per-endpoint rules.

Capability routers declare each endpoint's rule with `api_access`. Core knows no app, so the
bearer token's owner is found by a function the API is wired with (`api.api`:
`authentication(ApiToken.objects.user_for_key)`).
"""

from collections.abc import Callable
from functools import wraps

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth


class TokenAuth(HttpBearer):
    """A personal bearer token, whose user `user_for_key` finds (None when it is not usable)."""

    def __init__(self, user_for_key: Callable[[str], object | None]) -> None:
        super().__init__()
        self.user_for_key = user_for_key

    def authenticate(self, request, token: str):
        user = self.user_for_key(token)
        if user is None:
            # A wrong or revoked token is a 401, not a try at the session (and its CSRF check).
            raise AuthenticationError
        request.user = user
        return user


def authentication(user_for_key: Callable[[str], object | None]) -> list:
    """The API's authentication: a bearer token, or else the browser's session.

    The token first: a call that carries one is not a browser's and needs no CSRF token. Only a
    call without an Authorization header is tried as a session, whose writes must pass CSRF
    (ninja's SessionAuth checks CSRF before it looks at the session)."""
    return [TokenAuth(user_for_key), SessionAuth()]


def api_access(rule: Callable[..., bool]) -> Callable:
    """Declare and enforce an endpoint's rule, the same perms function as the page's."""

    def decorator(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            if not rule(request.auth):
                raise HttpError(403, _("Accès refusé."))
            return func(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator
