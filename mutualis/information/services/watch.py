"""The watch: fetching and importing the RSS/Atom feeds into posts."""

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import User
from mutualis.core import audit
from mutualis.information import search
from mutualis.information.enums import PostStatus
from mutualis.information.feeds import MAX_FEED_BYTES, FeedRefused, ParsedFeed, parse_feed
from mutualis.information.markup import render
from mutualis.information.models import Feed, Post
from mutualis.information.normalise import search_text

FETCH_TIMEOUT = 15  # seconds, per feed


# --- Watch feeds --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    added: int
    known: int
    feed_title: str


def import_feed(*, feed: Feed, data: bytes, by: User | None) -> ImportResult:
    """Parse a feed and add its new entries as draft posts; entries already imported (same
    guid, id or link, from any feed) are skipped, so importing twice adds nothing."""
    try:
        parsed: ParsedFeed = parse_feed(data)
    except FeedRefused as error:
        _record_fetch(feed, _("Refusé : %(error)s") % {"error": error})
        raise
    with transaction.atomic():
        keys = [entry.key for entry in parsed.entries]
        known = set(Post.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
        added = 0
        for entry in parsed.entries:
            if entry.key in known:
                continue
            body = entry.summary
            if entry.link:
                body += "\n\n" + _("Source : <%(link)s>") % {"link": entry.link}
            post = Post(
                title=entry.title,
                category=feed.category,
                body=body,
                status=PostStatus.DRAFT,
                publish_at=timezone.now(),
                feed=feed,
                source_key=entry.key,
                source_url=entry.link,
                created_by=by,
            )
            post.body_html = render(post.body)
            post.search_text = search_text(post.title, post.body)
            post.save()
            search.index(post)
            known.add(entry.key)
            added += 1
        result = ImportResult(
            added=added, known=len(parsed.entries) - added, feed_title=parsed.title
        )
        _record_fetch(
            feed,
            _("%(added)s nouvelle(s) entrée(s), %(known)s déjà connue(s)")
            % {"added": added, "known": result.known},
        )
        audit.record(
            action="information.feed_imported",
            obj=feed,
            by=by,
            summary=_("Flux « %(feed)s » : %(added)s, %(known)s")
            % {
                "feed": feed.name,
                "added": ngettext("%(n)d brouillon ajouté", "%(n)d brouillons ajoutés", added)
                % {"n": added},
                "known": ngettext("%(n)d déjà connu", "%(n)d déjà connus", result.known)
                % {"n": result.known},
            },
        )
    return result


def _record_fetch(feed: Feed, outcome: str) -> None:
    Feed.objects.filter(pk=feed.pk).update(
        last_fetched_at=timezone.now(), last_result=outcome[:500]
    )


def fetch_url(url: str, *, max_bytes: int = MAX_FEED_BYTES, timeout: int = FETCH_TIMEOUT) -> bytes:
    """Download a feed over HTTP(S), refusing anything past the size limit or the timeout."""
    if not url.lower().startswith(("https://", "http://")):
        raise FeedRefused(_("Seules les adresses http:// et https:// sont relevées."))
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        headers={
            "User-Agent": "Mutualis (veille)",
            "Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FeedRefused(
            _("Le serveur du flux a répondu par une erreur %(code)s.") % {"code": error.code}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise FeedRefused(
            _("Le flux n'a pas pu être relevé (%(reason)s).")
            % {"reason": getattr(error, "reason", error)}
        ) from error
    if len(data) > max_bytes:
        raise FeedRefused(
            _("Le flux dépasse la taille maximale acceptée (%(kb)s Ko) : refusé.")
            % {"kb": max_bytes // 1024}
        )
    return data


def refresh_feed(
    *, feed: Feed, by: User | None, fetch: Callable[[str], bytes] | None = None
) -> ImportResult:
    """Fetch the feed's URL (or use `fetch`, for tests) and import it."""
    try:
        data = (fetch or fetch_url)(feed.url)
    except FeedRefused as error:
        _record_fetch(feed, _("Échec : %(error)s") % {"error": error})
        raise
    return import_feed(feed=feed, data=data, by=by)


def save_feed(*, feed: Feed, by: User) -> Feed:
    creating = feed.pk is None
    with transaction.atomic():
        if creating:
            feed.created_by = by
        feed.save()
        audit.record(
            action="information.feed_added" if creating else "information.feed_edited",
            obj=feed,
            by=by,
            summary=_("Flux de veille « %(feed)s » %(url)s") % {"feed": feed.name, "url": feed.url},
        )
    return feed
