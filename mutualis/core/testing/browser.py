"""Browser-test helpers: Debian's chromium driven by Playwright, and axe-core checks.

Never downloads a browser: the chromium binary is given as executable_path. Tests using these
helpers are marked `browser` and skipped (with the reason) when chromium is not installed.
"""

import re
import shutil

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "Debian's chromium is not installed (bin/test installs it with apt-get as root)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, committed_demo):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, password: str = "mutualis-demo") -> None:  # noqa: S107
    page.goto("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert violations == [], f"{page.url}: {violations}"


def follow_menu(page, label: str) -> None:
    """Follow a page's link in the main navigation, opening its section's submenu if needed."""
    nav = page.get_by_role("navigation", name="Navigation principale")
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        # A closed submenu's links are hidden, so role locators do not see them: match the text.
        inner = page.locator("a", has_text=re.compile(f"^{re.escape(label)}$"))
        nav.locator("details").filter(has=inner).locator("summary").click()
    link.click()
    page.wait_for_load_state()
