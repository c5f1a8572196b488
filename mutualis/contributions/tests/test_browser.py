"""In Debian's chromium: the simulator, the finance pages and a commune's pages pass axe-core."""

import os

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import (
    assert_accessible,
    click_and_wait,
    follow_menu,
    press_and_wait,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_visitor_simulates_the_worked_example_with_the_keyboard(page):
    page.goto("/programme/")
    click_and_wait(page.get_by_role("link", name="Simuler la contribution de ma commune"))
    assert_accessible(page)
    page.get_by_label("Commune").select_option("31402")
    page.get_by_label("Début de l'adhésion").fill("2024-07-01")
    press_and_wait(page.get_by_label("Début de l'adhésion"), "Enter")
    table = page.get_by_role("table")
    for amount in ("475,00 €", "951,00 €", "141,20 €"):
        expect(table).to_contain_text(amount)
    assert_accessible(page)


def test_finance_pages_are_accessible(page):
    sign_in(page, "finance")
    follow_menu(page, "Contributions")
    expect(page.get_by_role("heading", name="Appels de contribution")).to_be_visible()
    assert_accessible(page)
    from mutualis.contributions.models import Call, CallStatus

    cancelled = Call.objects.filter(status=CallStatus.CANCELLED).order_by("number").first()
    click_and_wait(page.get_by_role("link", name=cancelled.number))
    expect(page.locator("body")).to_contain_text("annulé")
    assert_accessible(page)
    for name in ("Soldes par commune", "Impayés", "Importer un relevé", "Prévisions", "Avoirs"):
        click_and_wait(page.get_by_role("link", name=name, exact=True).first)
        assert_accessible(page)


def test_labege_it_sees_and_logs_days(page):
    sign_in(page, "labege-it")
    follow_menu(page, "Contributions")
    expect(page.locator("body")).to_contain_text("Jours en nature de Labège")
    assert_accessible(page)


def test_coordinator_review_pages_are_accessible(page):
    sign_in(page, "coordinator")
    for url in ("/contributions/jours/a-valider/", "/contributions/populations-a-confirmer/"):
        page.goto(url)
        assert_accessible(page)
