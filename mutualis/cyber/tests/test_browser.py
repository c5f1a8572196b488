"""In Debian's chromium: a commune manager takes the self-assessment and sees the advice; the
questionnaire and result pages pass axe-core."""

import os

import pytest

from mutualis.core.testing.browser import assert_accessible, follow_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_manager_completes_the_first_advice_and_sees_it(page):
    sign_in(page, "odars-manager")
    follow_menu(page, "Cybersécurité")
    assert page.get_by_role("heading", level=1).inner_text() == "Cybersécurité — Odars"
    assert_accessible(page)

    page.get_by_role("link", name="Refaire l'autodiagnostic").click()
    assert_accessible(page)
    groups = page.locator("fieldset.question")
    assert 10 <= groups.count() <= 15
    for index in range(groups.count()):
        # The first answer of each question, chosen by its visible label, as a person would.
        groups.nth(index).locator(".choice label").first.click()
    page.get_by_role("button", name="Voir mes conseils").click()

    assert page.get_by_role("heading", name="Vos premiers conseils de sécurité").is_visible()
    assert page.get_by_text("Votre autodiagnostic est enregistré.").is_visible()
    assert page.get_by_role("heading", name="Ce que l'offre avancée ajouterait").is_visible()
    assert_accessible(page)


def test_unanswered_self_assessment_is_explained(page):
    sign_in(page, "odars-manager")
    page.goto("/cybersecurite/communes/31402/premier-conseil/")
    page.get_by_role("button", name="Voir mes conseils").click()
    assert page.get_by_role("alert").inner_text().startswith("Répondez à toutes les questions")
    assert_accessible(page)


def test_referent_questionnaire_and_diagnostic_pages_are_accessible(page):
    from mutualis.cyber.models import Diagnostic

    draft = Diagnostic.objects.get(commune__insee_code="31402", status="draft")
    done = Diagnostic.objects.get(commune__insee_code="31402", status="completed")
    sign_in(page, "referent")
    page.goto(f"/cybersecurite/diagnostics/{draft.pk}/questionnaire/")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    assert page.get_by_text("Les réponses sont enregistrées.").is_visible()
    page.goto(f"/cybersecurite/diagnostics/{done.pk}/")
    assert_accessible(page)
    page.locator("tbody a").first.click()
    assert page.get_by_role("heading", name="Suivi").is_visible()
    assert_accessible(page)
    page.goto("/cybersecurite/programme/")
    assert_accessible(page)
