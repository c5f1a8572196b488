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
    NavItem(_("Sensibilisation"), "awareness:home", perms.is_signed_in),
    NavItem(_("Le programme"), "programme:detail", perms.is_signed_in),
    NavItem(_("Communes membres"), "dashboards:members", perms.is_signed_in),
    NavItem(_("Bilans"), "reviews:list", perms.is_signed_in),
    NavItem(_("Élus"), "reviews:dashboard", perms.is_staff_member),
    NavItem(_("Système d'information"), "inventory:home", perms.uses_information_system),
    NavItem(_("Continuité"), "continuity:home", perms.is_commune_member),
    NavItem(_("Cybersécurité"), "cyber:home", perms.uses_cyber),
    NavItem(_("Achats"), "purchasing:catalogue", perms.is_signed_in),
    NavItem(_("Support"), "support:requests", perms.is_signed_in),
    NavItem(_("Candidatures"), "membership:applications", perms.can_follow_admissions),
    NavItem(_("Capacité"), "membership:capacity", perms.can_follow_admissions),
    NavItem(_("Délibérations"), "membership:deliberations", perms.is_signed_in),
    NavItem(_("Temps passé"), "membership:time_logs", perms.is_coordinator_or_referent),
    NavItem(_("Contributions"), "contributions:home", perms.uses_contributions),
    NavItem(_("Information"), "information:posts", perms.is_signed_in),
    NavItem(_("Comptes"), "accounts:invitations", perms.is_coordinator),
    NavItem(_("Exploitation"), "operations:overview", perms.is_coordinator),
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
