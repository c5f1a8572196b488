"""Phones (390 px wide): the main lists of each capability turn into labelled cards (`table.stack`,
`data-label`) and never push the page sideways; the column that matters stays in view.

Each list is opened as the demo user who reads it: (user, path, the key column's label).
"""

import os

import pytest

from mutualis.core.testing.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WIDTH = 390

LISTS = {
    "odars-manager": [
        ("/support/", "État"),
        ("/systeme-information/communes/31402/", "Support"),
        ("/communes-membres/", "État"),
    ],
    "coordinator": [
        ("/support/", "État"),
        ("/achats/contrats/", "Échéance"),
        ("/adhesions/candidatures/", "Rang"),
        ("/cybersecurite/programme/", "Score / 100"),
    ],
    "observer": [("/cybersecurite/programme/", "Score / 100")],
}


def _check(page, path: str, key: str) -> list[str]:
    """What is wrong with the list at `path` on the phone, if anything."""
    problems = []
    response = page.goto(path)
    if response is None or response.status != 200:
        return [f"{path}: {response and response.status}"]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{path}: the page is {width} px wide")
    cell = page.locator(f"table.stack td[data-label='{key}']").first
    if cell.count() == 0:
        return [*problems, f"{path}: no « {key} » card value"]
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    if box is None or box["x"] < 0 or box["x"] + box["width"] > WIDTH:
        problems.append(f"{path}: « {key} » is out of view ({box})")
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    if key not in label:
        problems.append(f"{path}: « {key} » is not named on its card ({label})")
    return problems


def test_lists_turn_into_cards_on_a_phone(browser, live_server, committed_demo):
    problems = []
    for role, lists in LISTS.items():
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport={"width": WIDTH, "height": 844}
        )
        page = context.new_page()
        sign_in(page, role)
        problems += [f"[{role}] {p}" for path, key in lists for p in _check(page, path, key)]
        context.close()
    assert problems == [], "\n".join(problems)
