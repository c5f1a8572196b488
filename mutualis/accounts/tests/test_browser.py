"""ProConnect in Debian's chromium: the full redirect dance through the local OpenID Connect
provider (deploy/oidc-provider); the pages pass axe."""

import os
import re

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import assert_accessible, click_and_wait, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _proconnect(page, email: str) -> None:
    page.goto("/comptes/connexion/")
    click_and_wait(page.get_by_role("link", name=re.compile("S’identifier avec ProConnect")))
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("proconnect-demo")
    click_and_wait(page.get_by_role("button", name="Continuer"))


def test_invited_agent_of_odars_signs_in_through_proconnect_and_lands_on_odars(proconnect, page):
    from mutualis.accounts.models import User
    from mutualis.accounts.services import invite_user
    from mutualis.territory.models import Commune

    invite_user(
        email="nouvelle.agente@mairie-odars.fr",
        by=User.objects.get(username="coordinator"),
        commune=Commune.objects.get(insee_code="31402"),
        commune_role="agent",
    )
    page.goto("/comptes/connexion/")
    expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_be_visible()
    assert_accessible(page)
    _proconnect(page, "nouvelle.agente@mairie-odars.fr")
    expect(page).to_have_url(re.compile(r"/communes/31402/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Odars")
    # Signing out also ends the provider's session, and comes back to the sign-in page.
    click_and_wait(page.get_by_role("button", name="Se déconnecter"))
    expect(page).to_have_url(re.compile(r"/comptes/connexion/(\?state=[\w-]+)?$"))
    page.goto("/comptes/connexion/")
    click_and_wait(page.get_by_role("link", name=re.compile("S’identifier avec ProConnect")))
    expect(page.get_by_label("Adresse électronique")).to_be_visible()  # asked again


def test_stranger_signs_in_and_gets_no_role_until_the_coordinator_grants_one(
    proconnect, page, browser, live_server
):
    _proconnect(page, "inconnu@mairie-odars.fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("pas encore de rôle")
    expect(page.locator("main")).to_contain_text("commune de Odars")
    assert_accessible(page)
    page.goto("/tableau-de-bord/")
    expect(page).to_have_url(re.compile(r"/comptes/connexion/"))  # not signed in

    staff = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    sign_in(staff, "coordinator")
    staff.goto("/comptes/demandes-acces/")
    card = staff.locator("section", has_text="inconnu@mairie-odars.fr")
    expect(card.locator("strong")).to_have_text("Odars")
    assert_accessible(staff)
    click_and_wait(card.get_by_role("button", name=re.compile("Attribuer le rôle")))
    expect(staff.locator("body")).to_contain_text("est désormais agent communal à Odars")
    staff.context.close()

    # Still signed in at the provider: one click, and in.
    page.goto("/comptes/connexion/")
    click_and_wait(page.get_by_role("link", name=re.compile("S’identifier avec ProConnect")))
    expect(page).to_have_url(re.compile(r"/communes/31402/$"))
