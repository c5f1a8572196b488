"""The review page and the officials' dashboard pass axe-core."""

import os

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import assert_accessible, click_and_wait, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_observer_reads_a_review_and_the_dashboard(page):
    sign_in(page, "observer")
    page.goto("/bilans/")
    assert_accessible(page)
    click_and_wait(page.get_by_role("link", name="Bilan n° 1"))
    expect(page.get_by_role("heading", name="Adhésions")).to_be_visible()
    assert_accessible(page)
    page.goto("/bilans/tableau-de-bord-des-elus/")
    assert_accessible(page)


def test_commune_manager_reads_the_commune_version(page):
    sign_in(page, "odars-manager")
    page.goto("/bilans/1/")
    expect(page.locator("body")).to_contain_text("Version de la commune d'Odars")
    assert_accessible(page)
