"""The main navigation by role: which sections and pages each demo role sees, and that each
link it shows opens (200) for that role."""

import pytest
from django.test import Client

from mutualis.accounts.models import User
from mutualis.dashboards.navigation import NAV_ITEMS, NAV_SECTIONS, visible_sections

pytestmark = pytest.mark.django_db

# role -> [(section, [pages])]; a section with one page is shown as a plain link to that page.
EXPECTED = {
    "coordinator": [
        (
            "Tableau de bord",
            [
                "À faire aujourd'hui",
                "Contributions en bref",
                "Le programme en bref",
                "Tableau des communes",
            ],
        ),
        (
            "Communes et adhésions",
            [
                "Le programme",
                "Communes membres",
                "Candidatures",
                "Capacité",
                "Délibérations",
                "Temps passé",
            ],
        ),
        ("Finances", ["Contributions"]),
        (
            "Services",
            [
                "Cybersécurité",
                "Sensibilisation",
                "Information",
                "Support",
                "Système d'information",
                "Achats",
            ],
        ),
        ("Bilans", ["Bilans", "Tableau de bord des élus"]),
        ("Administration", ["Comptes", "Exploitation"]),
    ],
    "referent": [
        (
            "Tableau de bord",
            ["À faire aujourd'hui", "Le programme en bref", "Tableau des communes"],
        ),
        (
            "Communes et adhésions",
            [
                "Le programme",
                "Communes membres",
                "Candidatures",
                "Capacité",
                "Délibérations",
                "Temps passé",
            ],
        ),
        (
            "Services",
            [
                "Cybersécurité",
                "Sensibilisation",
                "Information",
                "Support",
                "Système d'information",
                "Achats",
            ],
        ),
        ("Bilans", ["Bilans", "Tableau de bord des élus"]),
    ],
    "finance": [
        (
            "Tableau de bord",
            ["Contributions en bref", "Le programme en bref", "Tableau des communes"],
        ),
        ("Communes et adhésions", ["Le programme", "Communes membres", "Délibérations"]),
        ("Finances", ["Contributions"]),
        (
            "Services",
            ["Sensibilisation", "Information", "Support", "Système d'information", "Achats"],
        ),
        ("Bilans", ["Bilans", "Tableau de bord des élus"]),
    ],
    "observer": [
        ("Tableau de bord", ["Le programme en bref", "Tableau des communes"]),
        (
            "Communes et adhésions",
            ["Le programme", "Communes membres", "Candidatures", "Capacité", "Délibérations"],
        ),
        (
            "Services",
            [
                "Cybersécurité",
                "Sensibilisation",
                "Information",
                "Support",
                "Système d'information",
                "Achats",
            ],
        ),
        ("Bilans", ["Bilans", "Tableau de bord des élus"]),
    ],
}
COMMUNE_PROGRAMME = ("Communes et adhésions", ["Le programme", "Communes membres", "Délibérations"])
COMMUNE_SERVICES = [
    "Cybersécurité",
    "Sensibilisation",
    "Information",
    "Support",
    "Système d'information",
    "Continuité",
    "Achats",
]
EXPECTED["odars-manager"] = [
    ("Ma commune", ["Ma commune"]),
    COMMUNE_PROGRAMME,
    ("Finances", ["Contributions"]),
    ("Services", COMMUNE_SERVICES),
    ("Bilans", ["Bilans"]),
]
# An agent without IT duties: no contributions, no inventory.
EXPECTED["odars-agent"] = [
    ("Ma commune", ["Ma commune"]),
    COMMUNE_PROGRAMME,
    ("Services", [s for s in COMMUNE_SERVICES if s != "Système d'information"]),
    ("Bilans", ["Bilans"]),
]
EXPECTED["labege-manager"] = EXPECTED["odars-manager"]
EXPECTED["labege-it"] = EXPECTED["odars-manager"]


def _menu(username: str) -> list[tuple[str, list[str]]]:
    user = User.objects.get(username=username)
    return [
        (str(s["label"]), [str(i["label"]) for i in s["items"]]) for s in visible_sections(user)
    ]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_its_sections(username):
    assert _menu(username) == EXPECTED[username]


def test_commune_people_see_a_short_menu():
    for username in ("odars-manager", "odars-agent", "labege-it"):
        assert len(_menu(username)) <= 5
        assert "Administration" not in dict(_menu(username))


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_every_visible_link_opens_for_that_role(username):
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    for section in visible_sections(user):
        for item in section["items"]:
            response = client.get(item["url"], follow=True)
            assert response.status_code == 200, (username, item["url"])


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_rendered_menu_marks_the_current_page(username):
    """The menu is in the page (server-rendered) and the current page carries aria-current."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    for section in visible_sections(user):
        url = section["items"][-1]["url"]
        html = client.get(url, follow=True).content.decode()
        assert 'aria-label="Navigation principale"' in html
        assert f'<a href="{url}" aria-current="page">' in html, (username, url)
        if not section["single"]:
            assert f'<summary class="current">{section["label"]}' in html


def test_sections_cover_every_entry_once():
    names = [item.url_name for item in NAV_ITEMS]
    assert len(names) == len(set(names))
    assert all(section.items for section in NAV_SECTIONS)


def test_nobody_signed_out_sees_a_menu(client):
    html = client.get("/comptes/connexion/").content.decode()
    assert "Navigation principale" not in html


def test_the_menu_is_kept_and_follows_a_new_role_at_once(monkeypatch):
    """base.html keeps the menu's HTML under everything it depends on (`menu_key`): the same page
    for the same roles is not computed again, and a role granted or ended is a new key."""
    from django.core.cache import cache
    from django.utils import timezone

    from mutualis.accounts.enums import CommuneRoleKind
    from mutualis.accounts.models import CommuneRole
    from mutualis.dashboards import navigation

    cache.clear()
    user = User.objects.get(username="odars-agent")
    role = user.commune_roles.active().get()
    client = Client()
    client.force_login(user)
    computed = []
    original = navigation.visible_sections
    monkeypatch.setattr(
        navigation,
        "visible_sections",
        lambda *args, **kwargs: computed.append(args) or original(*args, **kwargs),
    )
    menu = 'aria-label="Navigation principale"'
    for _ in range(2):
        html = client.get("/information/").content.decode()
        assert menu in html and "Système d&#x27;information" not in html
    assert len(computed) == 1

    it_role = CommuneRole.objects.create(
        user=user, commune=role.commune, role=CommuneRoleKind.IT_AGENT
    )
    assert "Système d&#x27;information" in client.get("/information/").content.decode()
    it_role.ended_at = timezone.now()
    it_role.save()
    html = client.get("/information/").content.decode()
    assert menu in html and "Système d&#x27;information" not in html
    assert len(computed) == 2  # back to the first key: its HTML is still kept
