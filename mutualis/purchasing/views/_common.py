"""Shared by the purchasing pages: who is staff, the commune scope, a refusal."""

from django.contrib import messages
from django.http import Http404

from mutualis.accounts import perms

STAFF = perms.is_coordinator_or_referent


def _scoped(queryset, user, pk: int):
    """An object of a commune the user may see, else 404."""
    obj = queryset.filter(pk=pk).select_related("commune").first()
    if obj is None or not perms.can_view_commune(user, obj.commune):
        raise Http404
    return obj


def _refused(request, error) -> None:
    messages.error(request, str(error.args[0] if error.args else error))
