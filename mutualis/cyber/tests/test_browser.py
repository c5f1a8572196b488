"""In Debian's chromium: a commune manager takes the self-assessment and sees the advice; the
questionnaire and result pages pass axe-core."""

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


def test_manager_completes_the_first_advice_and_sees_it(page):
    sign_in(page, "odars-manager")
    follow_menu(page, "Cybersécurité")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cybersécurité — Odars")
    assert_accessible(page)

    click_and_wait(page.get_by_role("link", name="Refaire l'autodiagnostic"))
    assert_accessible(page)
    groups = page.locator("fieldset.question")
    assert 10 <= groups.count() <= 15  # counted on the loaded questionnaire
    for index in range(groups.count()):
        # The first answer of each question, chosen by its visible label, as a person would.
        groups.nth(index).locator(".choice label").first.click()
    click_and_wait(page.get_by_role("button", name="Voir mes conseils"))

    expect(page.get_by_role("heading", name="Vos premiers conseils de sécurité")).to_be_visible()
    expect(page.get_by_text("Votre autodiagnostic est enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", name="Ce que l'offre avancée ajouterait")).to_be_visible()
    assert_accessible(page)


def test_unanswered_self_assessment_is_explained(page):
    sign_in(page, "odars-manager")
    page.goto("/cybersecurite/communes/31402/premier-conseil/")
    click_and_wait(page.get_by_role("button", name="Voir mes conseils"))
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"^\s*Répondez à toutes les questions")
    )
    assert_accessible(page)


def test_referent_questionnaire_and_diagnostic_pages_are_accessible(page):
    from mutualis.cyber.models import Diagnostic

    draft = Diagnostic.objects.get(commune__insee_code="31402", status="draft")
    done = Diagnostic.objects.get(commune__insee_code="31402", status="completed")
    sign_in(page, "referent")
    page.goto(f"/cybersecurite/diagnostics/{draft.pk}/questionnaire/")
    assert_accessible(page)
    click_and_wait(page.get_by_role("button", name="Enregistrer et continuer plus tard"))
    expect(page.get_by_text("Les réponses sont enregistrées.")).to_be_visible()
    page.goto(f"/cybersecurite/diagnostics/{done.pk}/")
    assert_accessible(page)
    click_and_wait(page.locator("tbody a").first)
    expect(page.get_by_role("heading", name="Suivi")).to_be_visible()
    assert_accessible(page)
    page.goto("/cybersecurite/programme/")
    assert_accessible(page)
