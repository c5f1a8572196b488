"""Every view declares who may use it: `@access(rule)` wraps it and records the rule.

A rule is a predicate on the signed-in user from `accounts.perms` or a capability's `perms.py` (or
`PUBLIC`). Object rules (this commune, this diagnostic) are applied inside the view by lookup
helpers that raise 404, so another commune's object is indistinguishable from a missing one. `iter_declared_views` lets a
test walk every URL pattern and fail on any view that declares nothing.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import resolve

PUBLIC = "public"

Rule = Callable[..., bool] | str


def access(rule: Rule) -> Callable:
    """Declare and enforce the access rule of a function view."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        if rule == PUBLIC:

            @wraps(view)
            def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
                return view(request, *args, **kwargs)

        else:

            @wraps(view)
            def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not rule(request.user):
                    raise PermissionDenied
                return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def declared_rule(view: Callable) -> Rule | None:
    """The rule a view declared, looking through class-based view wrappers."""
    rule = getattr(view, "access_rule", None)
    if rule is None and hasattr(view, "view_class"):
        rule = getattr(view.view_class, "access_rule", None)
    return rule


def rule_name(rule: Rule | None) -> str:
    if rule is None:
        return "undeclared"
    return rule if isinstance(rule, str) else rule.__name__


def may_open(user, url: str) -> bool:
    """Whether `user` passes the rule the view at `url` declares, for links (sub-navigation,
    breadcrumbs) that must not lead to a refusal. Object rules (« this commune ») stay in the view:
    a link to another commune's page is its template's to avoid."""
    rule = declared_rule(resolve(url).func)
    if rule is None or rule == PUBLIC:
        return rule == PUBLIC
    return user is not None and user.is_authenticated and bool(rule(user))
