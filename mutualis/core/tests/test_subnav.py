"""One look across capabilities: every capability's sub-navigation is the same component
(core/_subnav.html) marking the page shown, and a page below a capability's home has breadcrumbs."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SUBNAVS = {
    "/contributions/appels/": ("Contributions", "Appels"),
    "/support/": ("Support", "Demandes"),
    "/achats/": ("Achats et fournisseurs", "Catalogue"),
    "/exploitation/": ("Exploitation", "Tâches planifiées"),
    "/sensibilisation/": ("Sensibilisation", "Mes modules"),
    "/sensibilisation/resultats/": ("Sensibilisation", "Résultats"),
    "/sensibilisation/campagnes/": ("Sensibilisation", "Campagnes"),
    "/sensibilisation/sessions/": ("Sensibilisation", "Sessions en présentiel"),
}


def test_the_awareness_subnav_lists_only_the_pages_one_may_open(client, observer):
    """The observer reads the results but manages no campaign: no link that would refuse them."""
    client.force_login(observer)
    page = client.get("/sensibilisation/resultats/").content.decode()
    assert 'aria-current="page">Résultats</a>' in page
    assert 'href="/sensibilisation/campagnes/"' not in page


@pytest.mark.parametrize("path", sorted(SUBNAVS))
def test_each_capability_uses_the_one_subnav(client, coordinator, path):
    label, current = SUBNAVS[path]
    client.force_login(coordinator)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<nav class="subnav" aria-label="{label}">' in page
    assert f'aria-current="page">{current}</a>' in page


def test_a_call_page_has_breadcrumbs(client, finance):
    from mutualis.contributions.models import Call

    call = Call.objects.order_by("pk").first()
    client.force_login(finance)
    page = client.get(f"/contributions/appels/{call.pk}/").content.decode()
    assert '<nav class="breadcrumbs" aria-label="Fil d' in page
    assert '<a href="/accueil/finances/">Contributions</a>' in page
    assert f'<span aria-current="page">{call.number}</span>' in page


def test_a_page_below_a_capability_home_links_back_to_it(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/sensibilisation/resultats/").content.decode()
    assert '<nav class="breadcrumbs"' in page
    assert '<ol><li><a href="/sensibilisation/">Sensibilisation</a></li></ol>' in page


def test_a_capability_home_has_no_breadcrumbs(client, coordinator):
    client.force_login(coordinator)
    assert 'class="breadcrumbs"' not in client.get("/sensibilisation/").content.decode()


# Each capability's home, as the demo user who lands on it: (role, path) -> (subnav label, the
# entry marked current). Cyber, inventory and continuity homes redirect to the page they serve.
CAPABILITY_HOMES = {
    ("coordinator", "/cybersecurite/"): ("Cybersécurité", "Vue du programme"),
    ("odars-manager", "/cybersecurite/"): ("Cybersécurité", "Odars"),
    ("coordinator", "/adhesions/candidatures/"): ("Adhésions", "Candidatures"),
    ("odars-manager", "/adhesions/deliberations/"): ("Adhésions", "Délibérations"),
    ("coordinator", "/systeme-information/"): ("Système d'information", "Logiciels métiers"),
    ("odars-manager", "/systeme-information/"): ("Système d'information", "Odars"),
    ("odars-manager", "/continuite/"): ("Continuité", "Crise et continuité"),
    ("observer", "/bilans/"): ("Bilans", "Bilans semestriels"),
    ("odars-agent", "/bilans/"): ("Bilans", "Bilans semestriels"),
    ("odars-agent", "/comptes/profil/"): ("Mon compte", "Mon profil"),
    ("coordinator", "/comptes/invitations/"): ("Mon compte", "Comptes et invitations"),
}


@pytest.mark.parametrize("role, path", sorted(CAPABILITY_HOMES), ids=lambda v: v)
def test_every_capability_home_has_the_one_subnav(client, role, path):
    from mutualis.accounts.models import User

    label, current = CAPABILITY_HOMES[role, path]
    client.force_login(User.objects.get(username=role))
    response = client.get(path, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<nav class="subnav" aria-label="{label}">' in page, page[:2000]
    assert page.count('aria-current="page"') >= 1
    subnav = page.split(f'<nav class="subnav" aria-label="{label}">', 1)[1].split("</nav>", 1)[0]
    assert subnav.count('aria-current="page"') == 1, subnav
    assert f'aria-current="page">{current}</a>' in subnav, subnav


def _subnav(client, path: str) -> str:
    return client.get(path).content.decode().split('class="subnav"')[1].split("</nav>")[0]


def test_the_subnav_leaves_out_pages_the_person_cannot_open(client, odars_manager, odars_agent):
    """A sub-navigation link obeys the rule of the view it leads to: no link to a refusal."""
    client.force_login(odars_manager)
    subnav = _subnav(client, "/adhesions/deliberations/")
    assert "/adhesions/deliberations/" in subnav
    assert "/adhesions/candidatures/" not in subnav and "/adhesions/capacite/" not in subnav
    client.force_login(odars_agent)
    subnav = _subnav(client, "/bilans/")
    assert "/bilans/" in subnav and "/bilans/tableau-de-bord-des-elus/" not in subnav


CAPABILITIES = {"cyber", "membership", "inventory", "continuity", "reviews", "accounts"}


@pytest.mark.parametrize("role", ["coordinator", "odars-manager"])
def test_every_page_of_a_capability_has_its_subnav_and_breadcrumbs_below_its_home(
    client, role, odars
):
    """Every page of these capabilities the person opens shows the capability's sub-navigation,
    and, unless it is a menu page itself, breadcrumbs back to the capability's home."""
    from mutualis.accounts.models import User
    from mutualis.core.tests.test_url_access import _build, _patterns
    from mutualis.dashboards.navigation import CAPABILITY_HOMES, visible_sections

    user = User.objects.get(username=role)
    client.force_login(user)
    menu = {i["url"] for s in visible_sections(user) for i in s["items"]}
    menu |= {reverse(name) for homes in CAPABILITY_HOMES.values() for _label, name in homes}
    missing, seen = [], 0
    for route, _pattern, namespace in _patterns():
        if namespace not in CAPABILITIES or "deconnexion" in route:
            continue
        url = _build(route, odars, namespace)[0]
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        if "<main" not in page or 'class="login' in page or "/mot-de-passe/" in url:
            continue
        seen += 1
        if '<nav class="subnav"' not in page:
            missing.append((url, "subnav"))
        if url not in menu and '<nav class="breadcrumbs"' not in page:
            missing.append((url, "breadcrumbs"))
    assert seen > 15
    assert missing == [], missing
