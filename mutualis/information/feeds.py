"""RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds read into plain entries, pure and safe.

A feed comes from outside (CERT-FR, the CNIL, any URL a coordinator adds): it is parsed with
defusedxml, which refuses any DTD, so entity expansion ("billion laughs") and external entities
cannot happen; a file above the size limit is refused before parsing. Any problem raises
`FeedRefused` with a French message; nothing else escapes `parse_feed`.
"""

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError

import nh3
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

MAX_FEED_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 500
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


class FeedRefused(ValueError):
    """A feed that cannot be imported; the message says why, in French."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # sha256 of the entry's identity (guid/id, else link, else title and date)
    title: str
    link: str
    published: datetime | None
    summary: str


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]


def parse_feed(data: bytes, *, max_bytes: int = MAX_FEED_BYTES) -> ParsedFeed:
    if len(data) > max_bytes:
        raise FeedRefused(
            _("Le flux dépasse la taille maximale acceptée (%(limit)s Ko) : refusé.")
            % {"limit": max_bytes // 1024}
        )
    if not data.strip():
        raise FeedRefused(_("Le flux est vide."))
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise FeedRefused(
            _(
                "Le flux contient une déclaration de type de document (DTD) ou des entités : "
                "refusé par sécurité."
            )
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise FeedRefused(
            _("Le flux n'est pas un document XML valide (ligne %(line)s, colonne %(column)s).")
            % {"line": line, "column": column}
        ) from error
    except LookupError as error:  # an encoding Python does not know ("U-TF-8")
        raise FeedRefused(
            _("Le flux déclare un encodage inconnu (%(encoding)s).")
            % {"encoding": str(error).removeprefix("unknown encoding: ")}
        ) from error
    except (ValueError, UnicodeError, RecursionError) as error:
        raise FeedRefused(_("Le flux n'est pas un document XML lisible.")) from error
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedRefused(_("Flux RSS sans élément <channel>."))
        return _build(_text(channel, "title"), [_rss_item(i) for i in channel.iter("item")])
    if root.tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        title = _text(channel, f"{RSS1}title") if channel is not None else ""
        return _build(title, [_rss1_item(i) for i in root.iter(f"{RSS1}item")])
    if root.tag == f"{ATOM}feed":
        return _build(
            _text(root, f"{ATOM}title"), [_atom_entry(e) for e in root.iter(f"{ATOM}entry")]
        )
    raise FeedRefused(_("Ce document XML n'est ni un flux RSS ni un flux Atom."))


def _build(title: str, entries: list[FeedEntry | None]) -> ParsedFeed:
    kept: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry is not None:
            kept.setdefault(entry.key, entry)
    if len(kept) > MAX_ENTRIES:
        raise FeedRefused(
            _("Le flux compte plus de %(limit)s entrées : refusé.") % {"limit": MAX_ENTRIES}
        )
    return ParsedFeed(title=_clip(title, 200), entries=list(kept.values()))


def _rss_item(item: Element) -> FeedEntry | None:
    link = _text(item, "link")
    summary = _text(item, f"{CONTENT}encoded") or _text(item, "description")
    return _entry(
        identity=_text(item, "guid"),
        title=_text(item, "title"),
        link=link,
        published=_rfc822(_text(item, "pubDate")) or _iso(_text(item, f"{DC}date")),
        summary=summary,
    )


def _rss1_item(item: Element) -> FeedEntry | None:
    return _entry(
        identity=item.get(f"{RDF}about", ""),
        title=_text(item, f"{RSS1}title"),
        link=_text(item, f"{RSS1}link"),
        published=_iso(_text(item, f"{DC}date")),
        summary=_text(item, f"{RSS1}description"),
    )


def _atom_entry(entry: Element) -> FeedEntry | None:
    link = ""
    for candidate in entry.findall(f"{ATOM}link"):
        if candidate.get("rel", "alternate") == "alternate":
            link = candidate.get("href", "").strip()
            break
    return _entry(
        identity=_text(entry, f"{ATOM}id"),
        title=_text(entry, f"{ATOM}title"),
        link=link,
        published=_iso(_text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated")),
        summary=_text(entry, f"{ATOM}summary") or _text(entry, f"{ATOM}content"),
    )


def _entry(
    *, identity: str, title: str, link: str, published: datetime | None, summary: str
) -> FeedEntry | None:
    title = _clip(_plain(title), 300)
    summary = _clip(_plain(summary), 20_000)
    link = link.strip() if re.match(r"^https?://", link.strip(), re.IGNORECASE) else ""
    if not title and not summary:
        return None  # an empty entry carries nothing to read
    identity = identity.strip() or link or f"{title}|{published.isoformat() if published else ''}"
    key = hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()
    return FeedEntry(
        key=key,
        title=title or _clip(summary, 120),
        link=_clip(link, 500),
        published=published,
        summary=summary,
    )


def _text(parent: Element | None, tag: str) -> str:
    if parent is None:
        return ""
    node = parent.find(tag)
    if node is None:
        return ""
    return "".join(node.itertext()).strip()


def _plain(text: str) -> str:
    """Feed text often carries escaped HTML: keep the words, never the markup."""
    cleaned = nh3.clean(text, tags=set(), attributes={})
    return re.sub(r"\s+", " ", html.unescape(cleaned)).strip()


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _rfc822(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
