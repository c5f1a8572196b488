"""Browser-test helpers: Debian's chromium driven by Playwright, and axe-core checks.

Never downloads a browser: the chromium binary is given as executable_path. Tests using these
helpers are marked `browser` and skipped (with the reason) when chromium is not installed.

Playwright's click and key presses do not wait for the page load they start: a test that reads the
page right after them may read the previous page, or fail because its document is being replaced,
and only when the machine is slow. So an action that loads a page goes through `click_and_wait` or
`press_and_wait`, and what a test reads after an action that changes the page in place is asserted
with Playwright's retrying `expect(...)`.
"""

import re
import shutil

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# How long a retrying `expect(...)` waits (Playwright's default is 5 s): CI's two cores also run the
# other tests, the live server and chromium, and a page may take seconds to render there.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "Debian's chromium is not installed (bin/test installs it with apt-get as root)"
        )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

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


def click_and_wait(locator) -> None:
    """Click a link or a submit button and wait until the page it loads has loaded."""
    with locator.page.expect_navigation():
        locator.click()


def press_and_wait(locator, key: str = "Enter") -> None:
    """Press a key on an element (Enter in a field submits its form) and wait for the page loaded."""
    with locator.page.expect_navigation():
        locator.press(key)


def sign_in(page, username: str, password: str = "mutualis-demo") -> None:  # noqa: S107
    from playwright.sync_api import expect

    page.goto("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    click_and_wait(page.get_by_role("button", name="Se connecter"))
    # A refused sign-in shows the form again: say so here rather than in a later, puzzling step.
    expect(page).not_to_have_url(re.compile(r"/comptes/connexion/"))


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the current page, once it has loaded."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
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
    click_and_wait(link)
