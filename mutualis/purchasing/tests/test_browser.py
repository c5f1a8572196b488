"""In Debian's chromium: the catalogue, a campaign answer form and the support request form pass
axe-core, and a manager answers a campaign with the keyboard-usable form."""

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


def test_catalogue_and_offer_pages_are_accessible(page):
    sign_in(page, "odars-manager")
    follow_menu(page, "Achats")
    expect(page.get_by_role("heading", level=1)).to_have_text("Catalogue des offres négociées")
    assert_accessible(page)
    click_and_wait(page.get_by_role("link", name="Sauvegarde externalisée 3-2-1"))
    assert_accessible(page)


def test_a_manager_answers_a_campaign_on_an_accessible_form(page):
    from mutualis.purchasing.models import Campaign

    campaign = Campaign.objects.get(title="Postes de travail 2026")
    sign_in(page, "odars-manager")
    page.goto(f"/achats/campagnes/{campaign.pk}/communes/31402/")
    assert_accessible(page)
    page.get_by_label("Poste fixe bureautique", exact=True).fill("5")
    click_and_wait(page.get_by_role("button", name="Enregistrer la réponse"))
    expect(page.locator("body")).to_contain_text("est enregistrée")
    expect(page.get_by_label("Poste fixe bureautique", exact=True)).to_have_value("5")
    assert_accessible(page)
    page.goto("/achats/campagnes/")
    assert_accessible(page)


def test_support_request_form_and_pages_are_accessible(page):
    sign_in(page, "labege-it")
    page.goto("/support/nouvelle/")
    assert_accessible(page)
    page.get_by_label("Catégorie").select_option("incident")
    page.get_by_label("Objet").fill("Imprimante bloquée")
    page.get_by_label("Description").fill("Bourrage papier permanent.")
    click_and_wait(page.get_by_role("button", name="Envoyer la demande"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Imprimante bloquée$"))
    assert_accessible(page)
    page.goto("/support/")
    assert_accessible(page)


def test_staff_pages_are_accessible(page):
    sign_in(page, "referent")
    for url in ["/achats/feuilles-de-route/", "/achats/contrats/", "/support/prestataires/"]:
        page.goto(url)
        assert_accessible(page)
