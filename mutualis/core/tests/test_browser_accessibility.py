"""axe-core finds no serious or critical violation on any page a demo user can reach.

Every demo account (the eight of the README) and the anonymous visitor, one page per URL pattern
each can open (the samples of test_url_access: Odars' objects, Labège's own for Labège's people),
in Debian's chromium. One test per person (the workers share them), one browser context each;
each person's violations are gathered and reported together, by page.

To keep the walk short, axe runs once per distinct page content: a page whose `<main>` is the same
as one already checked (the same legal notice, the same module for two agents; hidden form tokens
aside) is not checked again once this person's header and menu have been checked on another page.
"""

import hashlib
import os
import re
import time

import pytest

from mutualis.core.testing.browser import sign_in
from mutualis.core.tests.test_url_access import DELEGATED, OUTSIDERS, ROLES, _build, _patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _open(page, url):
    """The page's response, or None for a download (PDF, CSV): not a page."""
    from playwright.sync_api import Error

    try:
        return page.goto(url)
    except Error:
        return None


def _urls(commune) -> list[str]:
    """One URL per pattern, its arguments an object of `commune` where the demo has one (else
    Odars' sample: a page Labège's people are refused, so not walked)."""
    from mutualis.territory.models import Commune

    odars = Commune.objects.get(insee_code="31402")
    urls = []
    for route, _pattern, namespace in _patterns():
        if namespace in DELEGATED or "deconnexion" in route:
            continue
        try:
            url = _build(route, commune, namespace)[0]
        except (AttributeError, IndexError, TypeError):
            url = _build(route, odars, namespace)[0]
        urls.append(url)
    return urls


HIDDEN_INPUT = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>")


def _main_content(page) -> str:
    html = page.evaluate("() => document.querySelector('main')?.innerHTML ?? ''")
    return hashlib.sha256(HIDDEN_INPUT.sub("", html).encode()).hexdigest()


def _walk(browser, base_url, role, urls, checked: set[str]) -> tuple[dict[str, list[str]], int]:
    """Walk `urls` as `role`: the violations by page, and how many pages axe checked. Pages whose
    view's rule refuses the person (403, or the sign-in page for the anonymous) are not loaded."""
    from django.contrib.auth.models import AnonymousUser

    from mutualis.accounts.models import User
    from mutualis.core.access import may_open

    user = User.objects.get(username=role) if role else AnonymousUser()
    urls = [url for url in urls if may_open(user, url)]
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    page = context.new_page()
    found, runs = {}, 0
    try:
        if role:
            sign_in(page, role)
        for url in urls:
            response = _open(page, url)
            if response is None or response.status != 200:
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            content = _main_content(page)
            if content in checked and runs:
                continue
            checked.add(content)
            runs += 1
            if problems := _violations(page):
                found[url] = problems
    finally:
        context.close()
    return found, runs


# Pages already checked by this test process, by their content (the walk's note above): shared by
# the people the worker walks, so that a page two people see alike is checked once.
CHECKED: set[str] = set()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_every_reachable_page_of_every_demo_user_passes_axe(
    browser, live_server, committed_demo, role
):
    from mutualis.territory.models import Commune

    started = time.monotonic()
    commune = Commune.objects.get(insee_code="31254" if role in OUTSIDERS else "31402")
    found, runs = _walk(browser, live_server.url, role, _urls(commune), CHECKED)
    name = role or "anonymous"
    print(f"{name}: {runs} pages checked in {time.monotonic() - started:.1f} s")
    report = [f"[{name}] {u}: {p}" for u, p in sorted(found.items())]
    assert report == [], "\n".join(report)
