"""API authentication (session with CSRF, or a personal bearer token) and per-endpoint rules."""

from collections.abc import Callable
from functools import wraps

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
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
            # A wrong or revoked token is a 401, not a try at the session (and its CSRF check).
            raise AuthenticationError
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


# The token first: a call that carries one is not a browser's, and needs no CSRF token. Only a
# call without an Authorization header is tried as a session, whose writes must pass CSRF.
AUTH = [TokenAuth(), SessionAuth()]


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


class PageMapped:
    """A queryset handed to ninja's pagination whose page is turned into dicts after slicing.

    Returning `[to_dict(x) for x in queryset]` builds every row the caller may see before the
    paginator keeps a page of them; this keeps the COUNT and the LIMIT in SQL and builds only the
    page: `return PageMapped(calls, _call_out)` from a `@paginate(LimitOffsetPagination)` view.
    `count`, when given, answers the paginator's count instead of the queryset's COUNT (a count
    kept by `core.versions`, say); `to_dict` may be None for a values() queryset.
    """

    def __init__(self, queryset, to_dict=None, *, count=None) -> None:
        self.queryset = queryset
        self.to_dict = to_dict
        self._count = count

    def all(self):  # the paginator counts with `.all().count()`
        return self

    def count(self) -> int:
        return self._count() if self._count is not None else self.queryset.count()

    def __getitem__(self, page: slice) -> list:
        rows = self.queryset[page]
        return list(rows) if self.to_dict is None else [self.to_dict(row) for row in rows]

    def __len__(self) -> int:
        return self.count()
