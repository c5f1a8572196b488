"""End to end in Debian's chromium: Odars' manager signs in and sees only Odars; pages pass axe."""

import os

import pytest

from mutualis.core.testing.browser import assert_accessible, follow_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_odars_manager_sees_only_odars(page):
    sign_in(page, "odars-manager")
    assert page.url.endswith("/communes/31402/")
    assert page.get_by_role("heading", level=1).inner_text() == "Odars"
    assert_accessible(page)
    follow_menu(page, "Le programme")
    assert page.get_by_role("heading", name="Socle de base").is_visible()
    assert_accessible(page)
    follow_menu(page, "Communes membres")
    assert_accessible(page)
    response = page.goto("/communes/31254/")
    assert response.status == 404
    assert "Labège" not in page.content()
    assert_accessible(page)


def test_coordinator_dashboard_is_accessible_and_keyboard_usable(page):
    sign_in(page, "coordinator")
    assert page.url.endswith("/tableau-de-bord/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.get_by_label("Rechercher (nom ou code INSEE)").fill("Castanet")
    page.get_by_role("button", name="Filtrer").click()
    assert page.get_by_role("link", name="Castanet-Tolosan").is_visible()
    page.get_by_role("link", name="Castanet-Tolosan").click()
    assert_accessible(page)
    page.goto("/comptes/invitations/")
    assert_accessible(page)


def test_login_page_is_accessible(page):
    page.goto("/comptes/connexion/")
    assert_accessible(page)
