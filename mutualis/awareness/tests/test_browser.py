"""End to end in Debian's chromium: an agent takes a module (lessons, a "spot the trap" exercise
used with the keyboard only, the quiz, the attestation PDF); every page passes axe-core."""

import os

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SLUG = "updates"


def _quiz():
    from mutualis.awareness.models import AwarenessModule

    return AwarenessModule.objects.get(slug=SLUG).current_version.content.quiz


def _focus_first_trap_with_the_keyboard(page) -> None:
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('trap')"):
            return
    raise AssertionError("no clickable part of the message is reachable with Tab")


def test_an_agent_takes_a_module_end_to_end(page):
    sign_in(page, "odars-agent")
    page.goto("/sensibilisation/")
    assert_accessible(page)
    page.get_by_role("link", name="Mises à jour et antivirus").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mises à jour et antivirus"
    assert_accessible(page)
    page.get_by_role("link", name="Commencer le module").click()

    sections = 0
    while page.get_by_role("button", name="J'ai lu, continuer").count():
        if sections == 0:
            assert page.get_by_label("Étape 1 sur").count() == 1  # the labelled progress bar
            assert_accessible(page)
        page.get_by_role("button", name="J'ai lu, continuer").click()
        sections += 1
    assert sections >= 4

    # "Spot the trap", keyboard only: Tab to a suspicious part, press Space, then validate.
    assert_accessible(page)
    _focus_first_trap_with_the_keyboard(page)
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    trap = page.locator(f"button.trap[value='{first}']")
    assert trap.get_attribute("aria-pressed") == "true"
    assert page.get_by_role("status").first.inner_text() == "Éléments signalés : 1."
    page.keyboard.press("Enter")  # Enter toggles it back: both keys work
    assert trap.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Enter")
    assert trap.get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="Valider mes réponses").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vous avez repéré" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("heading", name="À retenir").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continuer").click()

    # The quiz: fieldsets and legends; a wrong submission first, then the right answers.
    assert page.locator("fieldset legend").count() == len(_quiz())
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    for question in _quiz():
        for choice in question.choices:
            if choice.correct:
                page.locator(f"#q-{question.id}-{choice.id}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("status").first).to_contain_text("Bravo, vous avez réussi le module")
    assert_accessible(page)

    link = page.get_by_role("link", name="Télécharger mon attestation (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.goto("/sensibilisation/")
    assert "Réussi — 100 %" in page.content()


def test_the_exercise_works_without_javascript(browser, live_server, committed_demo):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "odars-agent")
    page.goto("/sensibilisation/modules/phishing/etapes/6/")
    trap = page.locator("button.trap").first
    value = trap.get_attribute("value")
    trap.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # a form submission: the server toggles the part
    pressed = page.locator(f"button.trap[value='{value}']")
    assert pressed.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.activeElement.value") == value  # focus kept (autofocus)
    with page.expect_navigation():
        page.get_by_role("button", name="Valider mes réponses").click()
    assert "Vous avez repéré" in page.get_by_role("status").first.inner_text()
    context.close()


def test_results_and_sessions_pages_are_accessible(page):
    sign_in(page, "odars-manager")
    page.goto("/sensibilisation/resultats/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sensibilisation — Odars"
    assert_accessible(page)
    page.goto("/sensibilisation/campagnes/nouvelle/")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, "coordinator")
    page.goto("/sensibilisation/resultats/")
    assert_accessible(page)
    page.goto("/sensibilisation/sessions/")
    assert_accessible(page)
    page.locator("main table a").first.click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Labège")
    assert_accessible(page)
