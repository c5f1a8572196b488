"""End to end in Debian's chromium: Odars' manager signs in and sees only Odars; pages pass axe."""

import os
import re

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import (
    assert_accessible,
    click_and_wait,
    follow_menu,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_odars_manager_sees_only_odars(page):
    sign_in(page, "odars-manager")
    expect(page).to_have_url(re.compile(r"/communes/31402/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Odars")
    assert_accessible(page)
    follow_menu(page, "Le programme")
    expect(page.get_by_role("heading", name="Socle de base")).to_be_visible()
    assert_accessible(page)
    follow_menu(page, "Communes membres")
    assert_accessible(page)
    response = page.goto("/communes/31254/")
    assert response.status == 404
    assert "Labège" not in page.content()  # goto returned: this is the 404 page, loaded
    assert_accessible(page)


def test_coordinator_dashboard_is_accessible_and_keyboard_usable(page):
    sign_in(page, "coordinator")
    expect(page).to_have_url(re.compile(r"/accueil/a-faire/$"))  # the coordinator's home
    page.goto("/tableau-de-bord/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.get_by_label("Rechercher (nom ou code INSEE)").fill("Castanet")
    click_and_wait(page.get_by_role("button", name="Filtrer"))
    expect(page.get_by_role("link", name="Castanet-Tolosan")).to_be_visible()
    click_and_wait(page.get_by_role("link", name="Castanet-Tolosan"))
    assert_accessible(page)
    page.goto("/comptes/invitations/")
    assert_accessible(page)


def test_login_page_is_accessible(page):
    page.goto("/comptes/connexion/")
    assert_accessible(page)
