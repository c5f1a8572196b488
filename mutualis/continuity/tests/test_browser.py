"""Information-system and continuity pages in chromium, checked by axe-core."""

import os

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import assert_accessible, follow_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_odars_manager_pages_are_accessible(page):
    sign_in(page, "odars-manager")
    follow_menu(page, "Système d'information")
    expect(page.get_by_role("heading", name="Système d'information d'Odars")).to_be_visible()
    assert_accessible(page)
    page.goto("/systeme-information/communes/31402/import/")
    assert_accessible(page)
    follow_menu(page, "Continuité")
    assert_accessible(page)
    page.goto("/continuite/communes/31402/sauvegarde/")
    assert_accessible(page)
    page.goto("/continuite/communes/31402/plan/")
    assert_accessible(page)


def test_coordinator_matrix_is_accessible(page):
    sign_in(page, "coordinator")
    page.goto("/systeme-information/logiciels-metiers/")
    assert_accessible(page)
    page.goto("/systeme-information/fins-de-support/")
    assert_accessible(page)
