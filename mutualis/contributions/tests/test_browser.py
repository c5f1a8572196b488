"""In Debian's chromium: the simulator, the finance pages and a commune's pages pass axe-core."""

import os

import pytest

from mutualis.core.testing.browser import assert_accessible, follow_menu, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_a_visitor_simulates_the_worked_example_with_the_keyboard(page):
    page.goto("/programme/")
    page.get_by_role("link", name="Simuler la contribution de ma commune").click()
    assert_accessible(page)
    page.get_by_label("Commune").select_option("31402")
    page.get_by_label("Début de l'adhésion").fill("2024-07-01")
    page.get_by_label("Début de l'adhésion").press("Enter")
    page.wait_for_load_state()
    table = page.get_by_role("table").inner_text()
    assert "475,00 €" in table and "951,00 €" in table and "141,20 €" in table
    assert_accessible(page)


def test_finance_pages_are_accessible(page):
    sign_in(page, "finance")
    follow_menu(page, "Contributions")
    assert page.get_by_role("heading", name="Appels de contribution").is_visible()
    assert_accessible(page)
    from mutualis.contributions.models import Call, CallStatus

    cancelled = Call.objects.filter(status=CallStatus.CANCELLED).order_by("number").first()
    page.get_by_role("link", name=cancelled.number).click()
    assert "annulé" in page.content()
    assert_accessible(page)
    for name in ("Soldes par commune", "Impayés", "Importer un relevé", "Prévisions", "Avoirs"):
        page.get_by_role("link", name=name, exact=True).first.click()
        assert_accessible(page)


def test_labege_it_sees_and_logs_days(page):
    sign_in(page, "labege-it")
    follow_menu(page, "Contributions")
    assert "Jours en nature de Labège" in page.content()
    assert_accessible(page)


def test_coordinator_review_pages_are_accessible(page):
    sign_in(page, "coordinator")
    for url in ("/contributions/jours/a-valider/", "/contributions/populations-a-confirmer/"):
        page.goto(url)
        assert_accessible(page)
