"""Render every page every demo user can reach and read it as that person would.

Starts from one URL per pattern (the samples of test_url_access), then follows the internal links
of each page as the same user (each distinct URL once, at most a few pages per URL pattern read in
full). Each page read must show no code value, model field name or timedelta repr in its visible
text, no « (s) » plural, no hint said twice in a row, exactly one <h1>, only `aria-describedby`
targets that exist; and every link it shows must open for that user (no 403/404). The PDFs it
links to are read too (their text layer): no code, field name, timedelta, « (s) », nor a number
written the English way (« 1.20 € », « 12.5 % »). Findings are printed by user and page.
"""

import io
import os
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

from mutualis.core.tests.test_url_access import DELEGATED, ROLES, _build, _patterns

PAGES_READ_PER_PATTERN = 3
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/comptes/deconnexion")
TIMEDELTA = re.compile(r"\b\d+ days?, \d+:\d\d:\d\d\b|\b\d+:\d\d:\d\d\.\d+\b")
PLURAL_S = re.compile(r"\w\(s\)")
# « (plusieurs réponses possibles) (plusieurs réponses possibles) »: a hint rendered twice.
TWICE = re.compile(r"(\([^()]{8,}\))\s*\1")
# « 1.20 € », « 12.5 % », « 1,141.20 »: a decimal point where French writes a comma.
ENGLISH_NUMBER = re.compile(
    r"(?<![\w.])\d[\d,]*\.\d+(?=\s*(?:€|%|\u00a0€|\u202f€|\u00a0%|\u202f%))"
)
# A one-word code that is also a French word of the interface (« communes », « site », « active »)
# is not a finding: the labels and verbose names give that vocabulary, and these few words.
# « cloud » is the referential's French usage (« type « cloud » »); usernames are people's data.
FRENCH_WORDS = {"date", "type", "national", "local", "total", "message", "minutes", "cloud"}


class _Page(HTMLParser):
    """The visible text (no tags, scripts, styles or attributes), h1 count, links, ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.h1 = 0
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.described_by: set[str] = set()
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if attributes.get("aria-describedby"):
            self.described_by.update(attributes["aria-describedby"].split())

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _codes() -> dict[str, str]:
    """Known code values and field names -> where they come from."""
    codes: dict[str, str] = {}
    from mutualis.accounts.models import User

    vocabulary = set(FRENCH_WORDS) | set(User.objects.values_list("username", flat=True))
    for model in apps.get_models():
        if not model.__module__.startswith("mutualis."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field):
                continue
            vocabulary.update(re.findall(r"\w+", str(field.verbose_name).lower()))
            if "_" in field.name:
                codes[field.name] = f"field {model._meta.label}.{field.name}"
            for value, label in field.flatchoices or ():
                vocabulary.update(re.findall(r"\w+", str(label).lower()))
                if isinstance(value, str) and value and value != str(label):
                    codes[value] = f"choice {model._meta.label}.{field.name}"
    from mutualis.cyber.services import current_referential_version
    from mutualis.programme.models import Programme

    for offer in Programme.objects.get(slug="sicoval-2024").spec.offers:
        codes[offer.code] = "offer code"
        vocabulary.update(re.findall(r"\w+", offer.name.lower()))
    referential = current_referential_version().referential
    for theme in referential.themes:
        codes[theme.id] = "referential theme"
        vocabulary.update(re.findall(r"\w+", theme.title.lower()))
    return {
        code: origin
        for code, origin in codes.items()
        if len(code) > 3 and code.lower() not in vocabulary and re.search("[a-z]", code)
    }


def _code_pattern(codes):
    words = sorted(codes, key=len, reverse=True)
    return re.compile(r"(?<![\w./@-])(" + "|".join(map(re.escape, words)) + r")(?![\w/@-])")


def _pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace in DELEGATED:
        return None
    return match.route


def _internal(href: str, here: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _words(text: str, codes_re, codes) -> list[str]:
    """What a person must not read, in a page's visible text or a PDF's text layer."""
    found = [f"code {code!r} ({codes[code]})" for code in sorted(set(codes_re.findall(text)))]
    found += [f"timedelta {delta!r}" for delta in sorted(set(TIMEDELTA.findall(text)))]
    found += [
        f"plural with (s): …{m}" for m in sorted({m.group(0) for m in PLURAL_S.finditer(text)})
    ]
    return found


def _pdf_text(response) -> str:
    from pdfminer.high_level import extract_text

    content = b"".join(response.streaming_content) if response.streaming else response.content
    return extract_text(io.BytesIO(content))


def _crawl(client, odars, codes_re, codes, pdfs_read: list[str]):
    findings: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    read_per_pattern: dict[str, int] = defaultdict(int)
    queue: list[tuple[str, str]] = []
    for route, _pattern, namespace in _patterns():
        if namespace in DELEGATED or "deconnexion" in route:
            continue
        built = _build(route, odars, namespace)
        if built:
            queue.append((built[0], ""))
    while queue:
        url, linked_from = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if linked_from and response.status_code in {403, 404}:
            findings[linked_from].append(f"link to {url} answers {response.status_code}")
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith(("text/html", "application/pdf")):
            continue
        pattern = _pattern_of(urlsplit(url).path)
        if pattern is None or read_per_pattern[pattern] >= PAGES_READ_PER_PATTERN:
            continue
        read_per_pattern[pattern] += 1
        if kind.startswith("application/pdf"):
            pdfs_read.append(url)
            text = " ".join(_pdf_text(response).split())
            findings[url].extend(_words(text, codes_re, codes))
            findings[url].extend(f"English number {n!r}" for n in ENGLISH_NUMBER.findall(text))
            continue
        page = _Page()
        page.feed(response.content.decode())
        text = " ".join(" ".join(page.text).split())
        findings[url].extend(_words(text, codes_re, codes))
        for found in sorted(set(TWICE.findall(text))):
            findings[url].append(f"hint said twice: {found}")
        if page.h1 != 1:
            findings[url].append(f"{page.h1} <h1>")
        for missing in sorted(page.described_by - page.ids):
            findings[url].append(f"aria-describedby={missing!r} points at nothing")
        for href in page.links:
            target = _internal(href, url)
            if target and target not in seen:
                queue.append((target, url))
    return findings


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_pages_speak_french_and_open_their_links(client, role, odars):
    from mutualis.accounts.models import User

    if role:
        client.force_login(User.objects.get(username=role))
    codes = _codes()
    pdfs_read: list[str] = []
    crawled = _crawl(client, odars, _code_pattern(codes), codes, pdfs_read)
    findings = {url: items for url, items in crawled.items() if items}
    if role in {"coordinator", "finance"}:  # calls, credit notes, reminders, reports: read
        assert len(pdfs_read) >= 3, pdfs_read
    report = "\n".join(
        f"[{role or 'anonymous'}] {url}\n    " + "\n    ".join(items)
        for url, items in sorted(findings.items())
    )
    print(report)
    if os.environ.get("MUTUALIS_FINDINGS"):
        with open(os.environ["MUTUALIS_FINDINGS"], "a") as out:
            out.write(report + "\n")
    assert not findings, report
