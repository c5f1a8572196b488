"""The main navigation, by role: one list, each entry with the rule that shows it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mutualis.accounts import perms


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[..., bool]


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Tableau de bord"), "dashboards:communes", perms.is_staff_member),
    NavItem(_("Ma commune"), "dashboards:my_commune", perms.is_commune_member),
    NavItem(_("Le programme"), "programme:detail", perms.is_signed_in),
    NavItem(_("Communes membres"), "dashboards:members", perms.is_signed_in),
    NavItem(_("Information"), "information:posts", perms.is_signed_in),
    NavItem(_("Comptes"), "accounts:invitations", perms.is_coordinator),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in NAV_ITEMS:
        if item.visible(user):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "current": request.path.startswith(url)})
    return {
        "nav_items": items,
        "active_commune": perms.active_commune(request),
        "user_communes": user.communes(),
    }
