"""API authentication (session with CSRF, or a personal bearer token) and per-endpoint rules."""

from collections.abc import Callable
from functools import wraps

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from mutualis.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(key_hash=ApiToken.hash(token))
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


AUTH = [SessionAuth(), TokenAuth()]


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
