"""Reading RSS and Atom feeds; hostile and broken feeds refused cleanly (fuzzed)."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualis.information.feeds import MAX_ENTRIES, FeedRefused, parse_feed

FEEDS = Path(__file__).resolve().parent / "feeds"


def _read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_it_reads_the_certfr_rss_feed():
    feed = parse_feed(_read("certfr-avis.xml"))
    assert feed.title == "CERT-FR – Avis (exemple fictif)"
    assert len(feed.entries) == 4
    first = feed.entries[0]
    assert first.title.startswith("CERTFR-2099-AVI-0101")
    assert first.link == "https://www.cert.ssi.gouv.fr/avis/CERTFR-2099-AVI-0101/"
    assert first.published == datetime(2025, 3, 3, 14, 12, tzinfo=UTC)
    # escaped HTML in the description becomes plain words
    assert "<" not in first.summary and "Exemplor" in first.summary


def test_it_reads_the_certfr_atom_feed():
    feed = parse_feed(_read("certfr-alertes.atom"))
    assert [e.title[:21] for e in feed.entries] == [
        "CERTFR-2099-ALE-0007 ",
        "CERTFR-2099-ALE-0006 ",
    ]
    assert feed.entries[0].link.endswith("CERTFR-2099-ALE-0007/")
    assert "activement exploitée" in feed.entries[0].summary
    assert feed.entries[1].published.utcoffset().total_seconds() == 3600


def test_it_reads_the_cnil_feed_with_cdata_and_dublin_core_dates():
    feed = parse_feed(_read("cnil-actualites.xml"))
    assert len(feed.entries) == 3
    assert feed.entries[0].published.year == 2025
    assert feed.entries[2].summary.startswith("Rappel : une violation")
    assert "<b>" not in feed.entries[2].summary


def test_it_reads_rss_1_rdf():
    data = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://exemple.fr/"><title>Exemple RDF</title></channel>
 <item rdf:about="https://exemple.fr/1"><title>Un</title><link>https://exemple.fr/1</link>
 <dc:date>2025-01-02T03:04:05Z</dc:date></item>
</rdf:RDF>"""
    feed = parse_feed(data)
    assert feed.title == "Exemple RDF"
    assert feed.entries[0].title == "Un"


def test_the_identity_is_the_guid_so_a_changed_title_is_the_same_entry():
    original = _read("certfr-avis.xml")
    changed = original.replace(
        b"Multiples vuln\xc3\xa9rabilit\xc3\xa9s dans le navigateur", b"Titre corrig\xc3\xa9"
    )
    assert [e.key for e in parse_feed(original).entries] == [
        e.key for e in parse_feed(changed).entries
    ]


def test_entries_without_guid_are_identified_by_their_link():
    data = b"<rss><channel><title>t</title><item><title>A</title><link>https://x.fr/a</link></item></channel></rss>"
    again = data.replace(b"<title>A</title>", b"<title>B</title>")
    assert parse_feed(data).entries[0].key == parse_feed(again).entries[0].key


def test_a_javascript_link_is_dropped():
    data = b"<rss><channel><title>t</title><item><title>A</title><link>javascript:alert(1)</link></item></channel></rss>"
    assert parse_feed(data).entries[0].link == ""


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><title>&lol4;</title></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><title>t</title><item><title>&secret;</title></item></channel></rss>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://exemple.invalid/evil.dtd">
<rss><channel><title>t</title></channel></rss>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "refusé par sécurité"),
        (EXTERNAL_ENTITY, "refusé par sécurité"),
        (EXTERNAL_DTD, "refusé par sécurité"),
        (b"<rss><channel><title>t</title></channel>", "n'est pas un document XML valide (ligne 1"),
        (b"", "vide"),
        (b"<html><body>Pas un flux</body></html>", "ni un flux RSS ni un flux Atom"),
        (b"<rss><item/></rss>", "sans élément <channel>"),
        (b"\xff\xfe\x00garbage", "XML"),
        (
            b'<?xml version="1.0" encoding="U-TF-8"?><rss/>',
            "encodage inconnu (U-TF-8)",
        ),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "external-dtd",
        "broken",
        "empty",
        "html",
        "no-channel",
        "bytes",
        "unknown-encoding",
    ],
)
def test_hostile_or_broken_feeds_are_refused_in_french(data, message):
    with pytest.raises(FeedRefused, match=re.escape(message)):
        parse_feed(data)


def test_a_feed_above_the_size_limit_is_refused_before_parsing():
    huge = b"<rss><channel><title>" + b"x" * 3_000_000 + b"</title></channel></rss>"
    with pytest.raises(FeedRefused, match="taille maximale"):
        parse_feed(huge)


def test_a_feed_with_too_many_entries_is_refused():
    items = b"".join(
        b"<item><title>t%d</title><guid>g%d</guid></item>" % (i, i) for i in range(MAX_ENTRIES + 1)
    )
    with pytest.raises(FeedRefused, match="plus de 500 entrées"):
        parse_feed(b"<rss><channel><title>t</title>" + items + b"</channel></rss>")


def _parses_or_refuses(data: bytes) -> None:
    try:
        feed = parse_feed(data)
    except FeedRefused as error:
        assert str(error)
    else:
        for entry in feed.entries:
            assert entry.title and len(entry.key) == 64
            assert entry.link == "" or entry.link.lower().startswith(("http://", "https://"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes_never_crash_the_parser(data):
    _parses_or_refuses(data)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["certfr-avis.xml", "certfr-alertes.atom", "cnil-actualites.xml"]),
    st.integers(min_value=0, max_value=4000),
    st.integers(min_value=0, max_value=200),
    st.binary(max_size=40),
)
def test_fuzz_damaged_real_feeds_never_crash_the_parser(name, at, cut, insert):
    data = _read(name)
    at = at % (len(data) + 1)
    _parses_or_refuses(data[:at] + insert + data[at + cut :])


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200),
    st.text(max_size=200),
    st.text(max_size=80),
    st.text(max_size=60),
)
def test_fuzz_text_inside_a_valid_feed_is_read_or_refused(title, description, link, date):
    from xml.sax.saxutils import escape

    data = (
        "<rss><channel><title>t</title><item>"
        f"<title>{escape(title)}</title><description>{escape(description)}</description>"
        f"<link>{escape(link)}</link><pubDate>{escape(date)}</pubDate>"
        "</item></channel></rss>"
    ).encode("utf-8", "surrogatepass")
    _parses_or_refuses(data)
