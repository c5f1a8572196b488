"""End to end in Debian's chromium: each role lands on its home (axe-core finds no serious
violation), the finance office sends a reminder from its home, and the phone menu works with the
keyboard at 390 px wide."""

import os
import re

import pytest
from playwright.sync_api import expect

from mutualis.core.testing.browser import assert_accessible, click_and_wait, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HOMES = {
    "observer": ("/bilans/en-bref/", "Le programme en un coup d'œil"),
    "finance": ("/accueil/finances/", "Les contributions en un coup d'œil"),
    "coordinator": ("/accueil/a-faire/", "À faire aujourd'hui"),
    "referent": ("/accueil/a-faire/", "À faire aujourd'hui"),
    "odars-manager": ("/communes/31402/", "Odars"),
}


def test_each_role_lands_on_its_home(page):
    for username, (path, heading) in HOMES.items():
        page.context.clear_cookies()
        sign_in(page, username)
        page.goto("/")
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    # The commune's cards each name their next step.
    expect(page.get_by_text("Prochaine étape :").first).to_be_visible()


def test_finance_sends_a_reminder_from_its_home(page):
    from django.core import mail
    from django.utils import timezone

    from mutualis.accounts.enums import CommuneRoleKind
    from mutualis.accounts.models import CommuneRole, User
    from mutualis.contributions.models import Call, Reminder

    call = (
        Call.objects.overdue(timezone.localdate()).select_related("commune").order_by("due_on")[0]
    )
    manager = User.objects.create_user(username="treasurer", email="secretariat@mairie.example")
    CommuneRole.objects.create(user=manager, commune=call.commune, role=CommuneRoleKind.MANAGER)
    sign_in(page, "finance")
    page.goto("/accueil/finances/")
    row = page.get_by_role("row").filter(has_text=call.number)
    click_and_wait(row.get_by_role("button", name="Relancer"))
    expect(page.get_by_role("status")).to_contain_text(f"Relance de l'appel {call.number} envoyée")
    (message,) = [m for m in mail.outbox if call.number in m.subject]
    assert message.to == ["secretariat@mairie.example"]
    assert message.attachments[0][2] == "application/pdf"
    reminder = Reminder.objects.get(call=call)
    page.goto(f"/contributions/appels/{call.pk}/")
    section = page.get_by_role("region", name="Relances")
    expect(section).to_contain_text("secretariat@mairie.example")
    expect(section.get_by_role("link", name="lettre (PDF)")).to_have_attribute(
        "href", f"/contributions/relances/{reminder.pk}/pdf/"
    )
    assert_accessible(page)


def test_the_phone_menu_opens_with_the_keyboard(page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "coordinator")
    page.goto("/accueil/a-faire/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    button = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('nav') !== null")
    assert focused, "Tab after the button goes into the menu"
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()
    assert_accessible(page)
    # Nothing pushes the page sideways on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # A list of calls turns into one card per call, each value named by its column.
    page.goto("/contributions/appels/")
    first = page.get_by_role("row").nth(1)
    expect(first.locator("td[data-label='Reste dû']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
