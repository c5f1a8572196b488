"""The operations pages in Debian's chromium: a coordinator deactivates an account; axe passes."""

import os

import pytest

from mutualis.core.testing.browser import assert_accessible, follow_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_coordinator_operations_pages_are_accessible(page):
    from mutualis.operations.scheduler import run_due

    run_due()
    sign_in(page, "coordinator")
    follow_menu(page, "Exploitation")
    assert page.get_by_role("heading", level=1).inner_text() == "Exploitation"
    assert_accessible(page)
    for name in ("Courriels sortants", "Archives des communes", "Désactivation des comptes"):
        page.get_by_role("link", name=name).first.click()
        assert_accessible(page)
    page.get_by_role("link", name="Désactiver le compte de Alain Agent-Odars").click()
    assert_accessible(page)
    page.get_by_label("Motif de la désactivation").fill("Départ de la mairie")
    page.get_by_label("Je confirme").check()
    page.get_by_role("button", name="Désactiver le compte").click()
    assert "est désactivé" in page.content()
    assert_accessible(page)
