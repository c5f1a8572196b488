"""axe-core finds no serious or critical violation on any page a demo user can reach.

One page per URL pattern per role (the samples of test_url_access), in Debian's chromium; the
roles whose pages differ most: anonymous, coordinator, observer, finance, a commune manager and
a commune agent. Each role's violations are gathered and reported together, by page.
"""

import os

import pytest

from mutualis.core.testing.browser import sign_in
from mutualis.core.tests.test_url_access import DELEGATED, _build, _patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = [None, "coordinator", "observer", "finance", "odars-manager", "odars-agent"]


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


@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_every_reachable_page_passes_axe(page, role):
    from mutualis.territory.models import Commune

    odars = Commune.objects.get(insee_code="31402")
    if role:
        sign_in(page, role)
    found = {}
    for route, _pattern, namespace in _patterns():
        if namespace in DELEGATED or "deconnexion" in route:
            continue
        url = _build(route, odars, namespace)[0]
        response = _open(page, url)
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if problems := _violations(page):
            found[url] = problems
    report = "\n".join(f"[{role or 'anonymous'}] {u}: {p}" for u, p in sorted(found.items()))
    print(report)
    assert not found, report
