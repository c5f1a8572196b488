"""One look across capabilities: every capability's sub-navigation is the same component
(core/_subnav.html) marking the page shown, and a page below a capability's home has breadcrumbs."""

import pytest

pytestmark = pytest.mark.django_db

SUBNAVS = {
    "/contributions/appels/": ("Contributions", "Appels"),
    "/support/": ("Support", "Demandes"),
    "/achats/": ("Achats et fournisseurs", "Catalogue"),
    "/exploitation/": ("Exploitation", "Tâches planifiées"),
    "/sensibilisation/": ("Sensibilisation", "Mes modules"),
}


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
