"""End to end in Debian's chromium: an agent takes a module (lessons, a "spot the trap" exercise
used with the keyboard only, the quiz, the attestation PDF); every page passes axe-core."""

import os
import re
from io import BytesIO

import pytest
from pdfminer.pdfpage import PDFPage
from playwright.sync_api import expect

from mutualis.core.testing.browser import (
    assert_accessible,
    click_and_wait,
    press_and_wait,
    sign_in,
)

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
    click_and_wait(page.get_by_role("link", name="Mises à jour et antivirus"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mises à jour et antivirus")
    assert_accessible(page)
    click_and_wait(page.get_by_role("link", name="Commencer le module"))

    sections = 0
    # Each section is a page of its own: counting the button is safe once the page has loaded.
    while page.get_by_role("button", name="J'ai lu, continuer").count():
        if sections == 0:
            expect(page.get_by_label("Étape 1 sur")).to_have_count(1)  # the labelled progress bar
            assert_accessible(page)
        click_and_wait(page.get_by_role("button", name="J'ai lu, continuer"))
        sections += 1
    assert sections >= 4

    # "Spot the trap", keyboard only: Tab to a suspicious part, press Space, then validate.
    assert_accessible(page)
    _focus_first_trap_with_the_keyboard(page)
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    trap = page.locator(f"button.trap[value='{first}']")
    expect(trap).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status").first).to_have_text("Éléments signalés : 1.")
    page.keyboard.press("Enter")  # Enter toggles it back: both keys work
    expect(trap).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("Enter")
    expect(trap).to_have_attribute("aria-pressed", "true")
    press_and_wait(page.get_by_role("button", name="Valider mes réponses"))
    expect(page.get_by_role("status").first).to_contain_text("Vous avez repéré")
    expect(page.get_by_role("heading", name="À retenir")).to_be_visible()
    assert_accessible(page)
    click_and_wait(page.get_by_role("link", name="Continuer"))

    # The quiz: fieldsets and legends; a wrong submission first, then the right answers.
    expect(page.locator("fieldset legend")).to_have_count(len(_quiz()))
    assert_accessible(page)
    click_and_wait(page.get_by_role("button", name="Envoyer mes réponses"))
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    for question in _quiz():
        for choice in question.choices:
            if choice.correct:
                page.locator(f"#q-{question.id}-{choice.id}").check()
    click_and_wait(page.get_by_role("button", name="Envoyer mes réponses"))
    expect(page.get_by_role("status").first).to_contain_text("Bravo, vous avez réussi le module")
    assert_accessible(page)

    link = page.get_by_role("link", name="Télécharger mon attestation (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert len(list(PDFPage.get_pages(BytesIO(response.body())))) == 1  # the attestation's one page

    page.goto("/sensibilisation/")
    expect(page.locator("body")).to_contain_text("Réussi — 100 %")


def test_the_exercise_works_without_javascript(browser, live_server, committed_demo):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "odars-agent")
    page.goto("/sensibilisation/modules/phishing/etapes/6/")
    trap = page.locator("button.trap").first
    value = trap.get_attribute("value")
    press_and_wait(trap)  # a form submission: the server toggles the part
    pressed = page.locator(f"button.trap[value='{value}']")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()  # focus kept (autofocus, applied when the page renders)
    click_and_wait(page.get_by_role("button", name="Valider mes réponses"))
    expect(page.get_by_role("status").first).to_contain_text("Vous avez repéré")
    context.close()


def test_results_and_sessions_pages_are_accessible(page):
    sign_in(page, "odars-manager")
    page.goto("/sensibilisation/resultats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sensibilisation — Odars")
    assert_accessible(page)
    page.goto("/sensibilisation/campagnes/nouvelle/")
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, "coordinator")
    page.goto("/sensibilisation/resultats/")
    assert_accessible(page)
    page.goto("/sensibilisation/sessions/")
    assert_accessible(page)
    click_and_wait(page.locator("main table a").first)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Labège$"))
    assert_accessible(page)
