"""The main navigation, by role: a few sections, each entry with the rule that shows it.

A section is shown when the user may use at least one of its pages; a section with a single
visible page is shown as a plain link to it, the others as a `<details>` submenu (no JavaScript).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mutualis.accounts import perms
from mutualis.contributions import perms as contributions_perms
from mutualis.core.access import may_open
from mutualis.cyber import perms as cyber_perms
from mutualis.membership import perms as membership_perms
from mutualis.programme.branding import brand_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[..., bool]


@dataclass(frozen=True)
class NavSection:
    label: str
    items: tuple[NavItem, ...]


NAV_SECTIONS: list[NavSection] = [
    NavSection(
        _("Tableau de bord"),
        (
            NavItem(
                _("À faire aujourd'hui"),
                "dashboards:home_actions",
                perms.is_coordinator_or_referent,
            ),
            NavItem(
                _("Contributions en bref"),
                "dashboards:home_finance",
                perms.is_finance_or_coordinator,
            ),
            NavItem(_("Le programme en bref"), "reviews:home", perms.is_staff_member),
            NavItem(_("Tableau des communes"), "dashboards:communes", perms.is_staff_member),
        ),
    ),
    NavSection(
        _("Ma commune"),
        (NavItem(_("Ma commune"), "dashboards:my_commune", perms.is_commune_member),),
    ),
    NavSection(
        _("Communes et adhésions"),
        (
            NavItem(_("Le programme"), "programme:detail", perms.is_signed_in),
            NavItem(_("Communes membres"), "dashboards:members", perms.is_signed_in),
            NavItem(
                _("Candidatures"), "membership:applications", membership_perms.can_follow_admissions
            ),
            NavItem(_("Capacité"), "membership:capacity", membership_perms.can_follow_admissions),
            NavItem(_("Délibérations"), "membership:deliberations", perms.is_signed_in),
            NavItem(_("Temps passé"), "membership:time_logs", perms.is_coordinator_or_referent),
        ),
    ),
    NavSection(
        _("Finances"),
        (
            NavItem(
                _("Contributions"), "contributions:home", contributions_perms.uses_contributions
            ),
        ),
    ),
    NavSection(
        _("Services"),
        (
            NavItem(_("Cybersécurité"), "cyber:home", cyber_perms.uses_cyber),
            NavItem(_("Sensibilisation"), "awareness:home", perms.is_signed_in),
            NavItem(_("Information"), "information:posts", perms.is_signed_in),
            NavItem(_("Support"), "support:requests", perms.is_signed_in),
            NavItem(_("Système d'information"), "inventory:home", perms.uses_information_system),
            NavItem(_("Continuité"), "continuity:home", perms.is_commune_member),
            NavItem(_("Achats"), "purchasing:catalogue", perms.is_signed_in),
        ),
    ),
    NavSection(
        _("Bilans"),
        (
            NavItem(_("Bilans"), "reviews:list", perms.is_signed_in),
            NavItem(_("Tableau de bord des élus"), "reviews:dashboard", perms.is_staff_member),
        ),
    ),
    NavSection(
        _("Administration"),
        (
            NavItem(_("Comptes"), "accounts:invitations", perms.is_coordinator),
            NavItem(
                _("Demandes d’accès ProConnect"),
                "accounts:access_requests",
                perms.can_answer_access_requests,
            ),
            NavItem(_("Exploitation"), "operations:overview", perms.is_coordinator),
        ),
    ),
]

# Where a capability's pages lead back to when they lie below no menu page (`/adhesions/12/admission/`,
# a coordinator on `/continuite/communes/…/`): the first of these the person may open.
CAPABILITY_HOMES: dict[str, tuple[tuple[str, str], ...]] = {
    "membership": (
        (_("Candidatures"), "membership:applications"),
        (_("Ma commune"), "dashboards:my_commune"),
        (_("Délibérations"), "membership:deliberations"),
    ),
    "continuity": (
        (_("Continuité"), "continuity:home"),
        (_("Tableau des communes"), "dashboards:communes"),
    ),
    "accounts": ((_("Mon profil"), "accounts:profile"),),
}

# Every entry, flat: for tests and for anyone listing the pages a role may reach.
NAV_ITEMS: list[NavItem] = [item for section in NAV_SECTIONS for item in section.items]


def _is_current(path: str, url: str) -> bool:
    return path == url or (url != "/" and path.startswith(url))


def visible_sections(user, path: str = "", aliases: dict[str, str] | None = None) -> list[dict]:
    """The sections the user sees, each with its visible entries (label, url, current).

    `aliases` maps a URL name to another path that also makes it current (« Ma commune » redirects
    to the commune's own page).
    """
    aliases = aliases or {}
    sections = []
    for section in NAV_SECTIONS:
        items = []
        for item in section.items:
            if item.visible(user):
                url = reverse(item.url_name)
                alias = aliases.get(item.url_name)
                current = _is_current(path, url) or bool(alias and _is_current(path, alias))
                items.append({"label": item.label, "url": url, "current": current})
        if not items:
            continue
        # Only the longest matching URL is current (a section's home is a prefix of its pages).
        matches = [i for i in items if i["current"]]
        for i in matches:
            i["current"] = i is max(matches, key=lambda m: len(m["url"]))
        sections.append(
            {
                "label": section.label,
                "items": items,
                "current": bool(matches),
                "single": len(items) == 1,
            }
        )
    return sections


def capability_home(sections: list[dict], path: str, namespace: str = "", user=None) -> dict | None:
    """The menu page the current page lies below (`/sensibilisation/` for
    `/sensibilisation/resultats/`), for the breadcrumbs of base.html; None on a menu page itself.
    Read from the sections the user sees (`visible_sections`): no URL reversed twice. A page below
    no menu page leads back to its capability's home (`CAPABILITY_HOMES`, by URL namespace)."""
    below = [
        item
        for section in sections
        for item in section["items"]
        if item["url"] != "/" and path.startswith(item["url"]) and path != item["url"]
    ]
    if below:
        item = max(below, key=lambda i: len(i["url"]))
        return {"label": item["label"], "url": item["url"]}
    if any(item["url"] == path for section in sections for item in section["items"]):
        return None
    for label, url_name in CAPABILITY_HOMES.get(namespace, ()):
        url = reverse(url_name)
        if url != path and may_open(user, url):
            return {"label": label, "url": url}
    return None


def _namespace(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.namespace if match else ""


def menu_key(request, commune) -> str:
    """Everything the menu and the breadcrumbs depend on: the language, the page, the person's
    roles (their rules read nothing else: staff role, kinds of commune roles, ProConnect on or off)
    and the commune they act for (« Ma commune » leads to its page). base.html keeps their HTML
    under this key (Django's cache): two requests with the same key get the same HTML, so
    nothing can make it stale; a new role is a new key."""
    user = request.user
    kinds = sorted({role.role for role in user.active_commune_roles()})
    return "|".join(
        [
            get_language() or "",
            request.path,
            user.staff_role,
            ",".join(kinds),
            commune.insee_code if commune is not None else "",
            "oidc" if settings.MUTUALIS_OIDC_ENABLED else "",
        ]
    )


def navigation(request) -> dict:
    brand = brand_of(str(settings.MUTUALIS_DEFAULT_PROGRAMME_FILE))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "brand": brand}
    commune = perms.active_commune(request)
    computed: list[list[dict]] = []

    def sections() -> list[dict]:
        # Only when base.html's cached menu or breadcrumbs miss: once per request.
        if not computed:
            aliases = {}
            if commune is not None:
                url = reverse("dashboards:commune", args=[commune.insee_code])
                aliases["dashboards:my_commune"] = url
            computed.append(visible_sections(user, request.path, aliases))
        return computed[0]

    return {
        "nav_key": menu_key(request, commune),
        "nav_sections": sections,
        "active_commune": commune,
        "user_communes": user.communes(),
        "brand": brand,
        "capability_home": lambda: capability_home(
            sections(), request.path, _namespace(request), user
        ),
    }
