"""Workflows of the information platform; each writes its audit entry.

Posts are written, published and withdrawn; critical alerts are acknowledged once per commune;
watch feeds become draft posts; documents gain versions; threads gain replies and become studies;
alert emails and the weekly digest go to exactly the people who may read what they announce.
"""

import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import User
from mutualis.core import audit
from mutualis.core.uploads import KINDS, stored_upload, stored_uploads
from mutualis.information import search
from mutualis.information.enums import UPLOAD_KINDS, AudienceKind, Category, PostStatus
from mutualis.information.feeds import MAX_FEED_BYTES, FeedRefused, ParsedFeed, parse_feed
from mutualis.information.markup import render
from mutualis.information.models import (
    Acknowledgement,
    DigestSent,
    Document,
    DocumentVersion,
    Feed,
    MailPreference,
    Message,
    MessageAttachment,
    Post,
    PostAttachment,
    Thread,
)
from mutualis.information.normalise import search_text
from mutualis.territory.models import Commune

UNSUBSCRIBE_SALT = "mutualis.information.unsubscribe"
FETCH_TIMEOUT = 15  # seconds, per feed


def _site(path: str) -> str:
    return settings.MUTUALIS_SITE_URL.rstrip("/") + path


# --- Posts --------------------------------------------------------------------------------------


def save_post(
    *, post: Post, by: User, communes: Iterable[Commune] = (), uploads: Iterable = ()
) -> Post:
    """Create or edit a post with its audience and new attachments, in one transaction."""
    creating = post.pk is None
    post.body_html = render(post.body)
    post.search_text = search_text(post.title, post.body)
    if post.audience != AudienceKind.OFFER:
        post.audience_offer = ""
    if post.category != Category.ALERT:
        post.severity = ""
    with transaction.atomic():
        if creating:
            post.created_by = by
        post.save()
        post.audience_communes.set(communes if post.audience == AudienceKind.COMMUNES else [])
        with stored_uploads(uploads, prefix="information/posts", kinds=UPLOAD_KINDS) as files:
            for stored in files:
                PostAttachment.objects.create(
                    post=post,
                    file=stored.name,
                    original_name=stored.original_name,
                    content_type=KINDS[stored.kind].content_type,
                    size=stored.size,
                    uploaded_by=by,
                )
        search.index(post)
        audit.record(
            action="information.post_created" if creating else "information.post_edited",
            obj=post,
            by=by,
            summary=_("%(category)s : %(title)s")
            % {"category": post.get_category_display(), "title": post.title},
        )
    return post


def publish_post(*, post: Post, by: User) -> int:
    """Publish (now or at its publication date); an alert due now is emailed. Emails sent."""
    with transaction.atomic():
        post.status = PostStatus.PUBLISHED
        post.published_by = by
        post.published_at = timezone.now()
        post.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        audit.record(
            action="information.post_published",
            obj=post,
            by=by,
            summary=(
                _("Publiée : %(title)s") % {"title": post.title}
                if post.publish_at <= timezone.now()
                else _("Publiée : %(title)s (visible le %(visible)s)")
                % {
                    "title": post.title,
                    "visible": timezone.localtime(post.publish_at).strftime("%d/%m/%Y %H:%M"),
                }
            ),
        )
    if post.category == Category.ALERT and post.is_current():
        return send_alert_emails(post)
    return 0


def withdraw_post(*, post: Post, by: User, reason: str) -> None:
    with transaction.atomic():
        post.status = PostStatus.WITHDRAWN
        post.save(update_fields=["status", "updated_at"])
        audit.record(
            action="information.post_withdrawn",
            obj=post,
            by=by,
            summary=_("Retirée : %(title)s") % {"title": post.title},
            reason=reason,
        )


# --- Acknowledgements ---------------------------------------------------------------------------


def acknowledge(*, post: Post, commune: Commune, by: User) -> tuple[Acknowledgement, bool]:
    """The commune has read the alert. Once per commune: a second click, by anyone of the same
    commune, or two at the same moment, leave exactly one acknowledgement."""
    try:
        with transaction.atomic():
            ack, created = Acknowledgement.objects.get_or_create(
                post=post, commune=commune, defaults={"by": by}
            )
            if created:
                audit.record(
                    action="information.acknowledged",
                    obj=post,
                    by=by,
                    summary=_("%(commune)s a pris connaissance de l'alerte « %(title)s »")
                    % {"commune": commune.name, "title": post.title},
                    commune_insee=commune.insee_code,
                )
    except IntegrityError:
        # The other writer won between our read and our insert (get_or_create's own retry can
        # also lose on PostgreSQL under READ COMMITTED): its row is the acknowledgement.
        return Acknowledgement.objects.get(post=post, commune=commune), False
    return ack, created


@dataclass
class AcknowledgementStatus:
    acknowledged: list[tuple[Commune, Acknowledgement]]
    pending: list[Commune]

    @property
    def total(self) -> int:
        return len(self.acknowledged) + len(self.pending)


def acknowledgement_status(post: Post) -> AcknowledgementStatus:
    """Which addressed communes have acknowledged the alert, and which have not (2-3 queries)."""
    acks = {
        a.commune_id: a
        for a in Acknowledgement.objects.filter(post=post).select_related("by", "commune")
    }
    addressed = list(post.addressed_communes().order_by("name"))
    done = [(c, acks[c.pk]) for c in addressed if c.pk in acks]
    # A commune removed from the audience after acknowledging still shows as acknowledged.
    addressed_ids = {c.pk for c in addressed}
    done += [(a.commune, a) for pk, a in acks.items() if pk not in addressed_ids]
    return AcknowledgementStatus(
        acknowledged=sorted(done, key=lambda pair: pair[0].name),
        pending=[c for c in addressed if c.pk not in acks],
    )


def remind_pending(*, post: Post, by: User) -> int:
    """Email the people of every commune that has not acknowledged the alert. People sent to."""
    status = acknowledgement_status(post)
    pending_ids = {c.pk for c in status.pending}
    recipients = [
        (user, commune) for user, commune in readers_of(post, communes=pending_ids) if user.email
    ]
    link = _site(post.get_absolute_url())
    for user, commune in recipients:
        EmailMessage(
            subject=_("[Rappel] Alerte critique à lire : %(title)s") % {"title": post.title},
            body=render_to_string(
                "information/emails/reminder.txt",
                {"user": user, "post": post, "commune": commune, "link": link},
            ),
            to=[user.email],
        ).send()
    audit.record(
        action="information.reminded",
        obj=post,
        by=by,
        summary=_("Rappel de l'alerte « %(title)s » : %(communes)s, %(recipients)s")
        % {
            "title": post.title,
            "communes": ngettext("%(n)d commune", "%(n)d communes", len(status.pending))
            % {"n": len(status.pending)},
            "recipients": ngettext("%(n)d destinataire", "%(n)d destinataires", len(recipients))
            % {"n": len(recipients)},
        },
        changes={"communes": sorted(c.insee_code for c in status.pending)},
    )
    return len(recipients)


# --- Who receives what --------------------------------------------------------------------------


def readers_of(post: Post, *, communes: set[int] | None = None) -> list[tuple[User, Commune]]:
    """Commune people who may read the post (by `Post.objects.readable_by`, the one rule), each
    with a commune of theirs it is addressed to; limited to `communes` when given."""
    candidates = (
        User.objects.filter(
            is_active=True,
            commune_roles__ended_at__isnull=True,
            commune_roles__commune__in=post.addressed_communes(),
        )
        .distinct()
        .order_by("pk")
    )
    result = []
    for user in candidates:
        if not Post.objects.readable_by(user).filter(pk=post.pk).exists():
            continue
        commune = next(
            (
                c
                for c in user.communes()
                if (communes is None or c.pk in communes) and _addressed_via(post, user, c)
            ),
            None,
        )
        if commune is not None:
            result.append((user, commune))
    return result


def _addressed_via(post: Post, user: User, commune: Commune) -> bool:
    from mutualis.information.models import Reader

    grant = Reader.of(user).grant_for(commune.pk)
    return bool(grant) and Post.objects.filter(pk=post.pk).addressed_to_grants([grant]).exists()


def acknowledgeable_communes(post: Post, user: User) -> list[Commune]:
    """The communes of `user` for which they may acknowledge `post` (addressed there)."""
    if not post.needs_acknowledgement or not post.is_current():
        return []
    return [c for c in user.communes() if _addressed_via(post, user, c)]


def is_unsubscribed(user: User) -> bool:
    return MailPreference.objects.filter(user=user, unsubscribed_at__isnull=False).exists()


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], is_active=True).first()


def set_subscription(*, user: User, subscribed: bool, by: User | None) -> None:
    """Stop or resume non-critical mail (digest, ordinary alerts). Critical alerts always go."""
    with transaction.atomic():
        preference, _created = MailPreference.objects.select_for_update().get_or_create(user=user)
        if subscribed == (preference.unsubscribed_at is None):
            return
        preference.unsubscribed_at = None if subscribed else timezone.now()
        preference.save(update_fields=["unsubscribed_at"])
        audit.record(
            action="information.resubscribed" if subscribed else "information.unsubscribed",
            obj=preference,
            by=by,
            summary=(
                _("%(user)s reçoit de nouveau la lettre hebdomadaire et les alertes non critiques")
                if subscribed
                else _(
                    "%(user)s ne reçoit plus la lettre hebdomadaire et les alertes non critiques"
                )
            )
            % {"user": user},
        )


def _unsubscribe_link(user: User) -> str:
    return _site(reverse("information:unsubscribe", args=[unsubscribe_token(user)]))


def send_alert_emails(post: Post) -> int:
    """Email a published alert to each person who may read it, once (whoever calls it again).
    Non-critical alerts skip the unsubscribed and carry an unsubscribe link. People emailed."""
    claimed = Post.objects.filter(pk=post.pk, alert_emailed_at__isnull=True).update(
        alert_emailed_at=timezone.now()
    )
    if not claimed:
        return 0
    critical = post.needs_acknowledgement
    sent = 0
    for user, commune in readers_of(post):
        if not user.email or (not critical and is_unsubscribed(user)):
            continue
        unsubscribe = "" if critical else _unsubscribe_link(user)
        headers = {"List-Unsubscribe": f"<{unsubscribe}>"} if unsubscribe else {}
        EmailMessage(
            subject=_("[Alerte %(severity)s] %(title)s")
            % {"severity": post.get_severity_display().lower(), "title": post.title},
            body=render_to_string(
                "information/emails/alert.txt",
                {
                    "user": user,
                    "post": post,
                    "commune": commune,
                    "link": _site(post.get_absolute_url()),
                    "unsubscribe": unsubscribe,
                },
            ),
            to=[user.email],
            headers=headers,
        ).send()
        sent += 1
    audit.record(
        action="information.alert_emailed",
        obj=post,
        by=None,
        summary=ngettext(
            "Alerte « %(title)s » envoyée à %(sent)d personne",
            "Alerte « %(title)s » envoyée à %(sent)d personnes",
            sent,
        )
        % {"title": post.title, "sent": sent},
    )
    return sent


def send_due_alerts() -> int:
    """Alerts published for a date now reached and not yet emailed (the scheduler runs this)."""
    due = Post.objects.current().filter(category=Category.ALERT, alert_emailed_at__isnull=True)
    return sum(send_alert_emails(post) for post in due)


def iso_week(moment: datetime) -> str:
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestResult:
    sent: int = 0
    already: int = 0
    empty: int = 0
    unsubscribed: int = 0


def send_digests(*, now: datetime | None = None, progress: Callable | None = None) -> DigestResult:
    """The weekly digest: each person gets, once per ISO week, the posts other than alerts that
    became readable to them since their last digest (or in the last 7 days)."""
    now = now or timezone.now()
    week = iso_week(now)
    result = DigestResult()
    users = list(User.objects.filter(is_active=True).exclude(email="").order_by("pk"))
    for done, user in enumerate(users, start=1):
        if progress:
            progress("lettres", done, len(users))
        if DigestSent.objects.filter(user=user, week=week).exists():
            result.already += 1
            continue
        if is_unsubscribed(user):
            result.unsubscribed += 1
            continue
        last = DigestSent.objects.filter(user=user).order_by("-sent_at").first()
        since = last.sent_at if last else now - timedelta(days=7)
        posts = list(
            Post.objects.readable_by(user)
            .current()
            .exclude(category=Category.ALERT)
            .filter(publish_at__gt=since, publish_at__lte=now)
            .order_by("-publish_at", "-id")[:50]
        )
        if not posts:
            result.empty += 1
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, week=week, sent_at=now, post_count=len(posts))
        except IntegrityError:
            result.already += 1  # another run of the command got there first
            continue
        unsubscribe = _unsubscribe_link(user)
        EmailMessage(
            subject=_("Mutualis — les informations de la semaine (%(week)s)") % {"week": week},
            body=render_to_string(
                "information/emails/digest.txt",
                {
                    "user": user,
                    "posts": [(p, _site(p.get_absolute_url())) for p in posts],
                    "unsubscribe": unsubscribe,
                    "list_link": _site(reverse("information:posts")),
                },
            ),
            to=[user.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
        ).send()
        result.sent += 1
    return result


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


# --- Documents ----------------------------------------------------------------------------------


def _document_text(document: Document) -> str:
    return search_text(document.title, document.description, document.get_kind_display())


def save_document(
    *, document: Document, by: User, communes: Iterable[Commune] = (), upload=None, note: str = ""
) -> Document:
    """Create or edit a document's card (and its audience); a file given becomes a new version."""
    creating = document.pk is None
    if document.owner_commune_id:
        document.audience = AudienceKind.COMMUNES  # shown to its commune alone, whatever the form
    if document.audience != AudienceKind.OFFER:
        document.audience_offer = ""
    document.search_text = _document_text(document)
    with transaction.atomic():
        if creating:
            document.created_by = by
        document.save()
        document.audience_communes.set(
            [document.owner_commune]
            if document.owner_commune_id
            else (communes if document.audience == AudienceKind.COMMUNES else [])
        )
        search.index(document)
        audit.record(
            action="information.document_created" if creating else "information.document_edited",
            obj=document,
            by=by,
            summary=_("Document « %(title)s »") % {"title": document.title},
            commune_insee=document.owner_commune.insee_code if document.owner_commune_id else "",
        )
        if upload is not None:
            add_version(document=document, upload=upload, by=by, note=note)
    return document


def add_version(*, document: Document, upload, by: User, note: str = "") -> DocumentVersion:
    """A new upload is a new version; earlier versions stay downloadable."""
    with (
        stored_upload(upload, prefix="information/documents", kinds=UPLOAD_KINDS) as stored,
        transaction.atomic(),
    ):
        locked = Document.objects.select_for_update().get(pk=document.pk)
        last = locked.versions.order_by("-number").first()
        version = DocumentVersion.objects.create(
            document=locked,
            number=(last.number + 1) if last else 1,
            note=note,
            file=stored.name,
            original_name=stored.original_name,
            content_type=KINDS[stored.kind].content_type,
            size=stored.size,
            uploaded_by=by,
        )
        Document.objects.filter(pk=locked.pk).update(
            latest_version=version, updated_at=timezone.now()
        )
        document.latest_version = version
        audit.record(
            action="information.document_version",
            obj=locked,
            by=by,
            summary=_("« %(title)s » : version %(number)s (%(file)s)")
            % {"title": locked.title, "number": version.number, "file": stored.original_name},
            commune_insee=locked.owner_commune.insee_code if locked.owner_commune_id else "",
            reason=note,
        )
    return version


# --- Experience sharing -------------------------------------------------------------------------


def _thread_text(thread: Thread) -> str:
    bodies = list(thread.messages.values_list("body", flat=True))
    return search_text(thread.title, *bodies)


def _add_message(
    *, thread: Thread, body: str, by: User, commune: Commune | None, uploads
) -> Message:
    message = Message.objects.create(
        thread=thread, author=by, author_commune=commune, body=body, body_html=render(body)
    )
    with stored_uploads(uploads, prefix="information/threads", kinds=UPLOAD_KINDS) as files:
        for stored in files:
            MessageAttachment.objects.create(
                message=message,
                file=stored.name,
                original_name=stored.original_name,
                content_type=KINDS[stored.kind].content_type,
                size=stored.size,
                uploaded_by=by,
            )
    thread.last_activity_at = timezone.now()
    thread.search_text = _thread_text(thread)
    thread.save(update_fields=["last_activity_at", "search_text"])
    search.index(thread)
    return message


def start_thread(
    *, title: str, body: str, by: User, commune: Commune | None, uploads: Iterable = ()
) -> Thread:
    with transaction.atomic():
        thread = Thread.objects.create(title=title, created_by=by)
        _add_message(thread=thread, body=body, by=by, commune=commune, uploads=uploads)
        audit.record(
            action="information.thread_started",
            obj=thread,
            by=by,
            summary=(
                _("Échange « %(title)s » (%(commune)s)") % {"title": title, "commune": commune.name}
                if commune
                else _("Échange « %(title)s »") % {"title": title}
            ),
        )
    return thread


def reply(
    *, thread: Thread, body: str, by: User, commune: Commune | None, uploads: Iterable = ()
) -> Message:
    with transaction.atomic():
        message = _add_message(thread=thread, body=body, by=by, commune=commune, uploads=uploads)
        audit.record(
            action="information.thread_reply",
            obj=thread,
            by=by,
            summary=(
                _("Réponse à « %(title)s » (%(commune)s)")
                % {"title": thread.title, "commune": commune.name}
                if commune
                else _("Réponse à « %(title)s »") % {"title": thread.title}
            ),
        )
    return message


def make_study(*, thread: Thread, post: Post, by: User, communes: Iterable[Commune] = ()) -> Post:
    """Publish a thread as a study (category study): its text, its authors' communes, and a copy
    of its attachments, for the audience chosen."""
    post.category = Category.STUDY
    post.thread = thread
    with transaction.atomic():
        save_post(post=post, by=by, communes=communes)
        for attachment in MessageAttachment.objects.filter(message__thread=thread):
            PostAttachment.objects.create(
                post=post,
                file=attachment.file,
                original_name=attachment.original_name,
                content_type=attachment.content_type,
                size=attachment.size,
                uploaded_by=attachment.uploaded_by,
            )
        publish_post(post=post, by=by)
        audit.record(
            action="information.study_made",
            obj=thread,
            by=by,
            summary=_("Échange « %(thread)s » publié en étude « %(post)s »")
            % {"thread": thread.title, "post": post.title},
        )
    return post


def study_draft(thread: Thread) -> str:
    """A starting text for the study: each contribution with its author's commune."""
    parts = []
    for message in thread.messages.select_related("author", "author_commune"):
        who = message.author_commune.name if message.author_commune_id else _("Intercommunalité")
        parts.append(
            _("### %(who)s, le %(date)s\n\n%(body)s")
            % {
                "who": who,
                "date": timezone.localtime(message.created_at).strftime("%d/%m/%Y"),
                "body": message.body,
            }
        )
    return "\n\n".join(parts)
