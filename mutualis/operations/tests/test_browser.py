"""The operations pages in Debian's chromium: a coordinator deactivates an account; axe passes."""

import os

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


def test_coordinator_operations_pages_are_accessible(page):
    from mutualis.operations.scheduler import run_due

    run_due()
    sign_in(page, "coordinator")
    follow_menu(page, "Exploitation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exploitation")
    assert_accessible(page)
    for name in ("Courriels sortants", "Archives des communes", "Désactivation des comptes"):
        click_and_wait(page.get_by_role("link", name=name).first)
        assert_accessible(page)
    click_and_wait(page.get_by_role("link", name="Désactiver le compte d'Alain Agent-Odars"))
    assert_accessible(page)
    page.get_by_label("Motif de la désactivation").fill("Départ de la mairie")
    page.get_by_label("Je confirme").check()
    click_and_wait(page.get_by_role("button", name="Désactiver le compte"))
    expect(page.locator("body")).to_contain_text("est désactivé")
    assert_accessible(page)
