"""Find one object that a user may see, or answer 404: the one way pages and API endpoints look up
a commune's objects, so that another commune's object is indistinguishable from a missing one."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404


def get_visible_or_404[T: Model](
    queryset_or_model: QuerySet[T] | type[T],
    user: Any,
    *,
    visible: Callable[[QuerySet[T], Any], QuerySet[T]] | None = None,
    check: Callable[[Any, T], bool] | None = None,
    **lookup: Any,
) -> T:
    """The object matching `lookup` that `user` may see, else Http404 (no hint that it exists).

    The caller states the rule, one of:
    - `visible(queryset, user)` narrows the queryset to what the user may see, in SQL — usually
      a QuerySet method, `PostQuerySet.readable_by`;
    - `check(user, obj)` is asked about the object found — usually a perms function,
      `perms.can_view_commune` or a lambda reaching the object's commune.
    """
    if (visible is None) == (check is None):
        raise TypeError("get_visible_or_404 needs exactly one rule: visible= or check=")
    if isinstance(queryset_or_model, QuerySet):
        queryset = queryset_or_model
    else:
        queryset = queryset_or_model._default_manager.all()
    if visible is not None:
        queryset = visible(queryset, user)
    # `lookup` names one object (a key): no order to build (`first()` would sort by the model's
    # ordering, French names for a commune); a join of the rule may repeat it, hence [:1].
    obj = next(iter(queryset.filter(**lookup).order_by()[:1]), None)
    if obj is None or (check is not None and not check(user, obj)):
        raise Http404
    return obj
