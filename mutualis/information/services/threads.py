"""Threads between communes: starting one, replying, publishing one as a study."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts.models import User
from mutualis.core import audit, submissions
from mutualis.core.uploads import KINDS, stored_uploads
from mutualis.information import search
from mutualis.information.enums import UPLOAD_KINDS, Category
from mutualis.information.markup import render
from mutualis.information.models import Message, MessageAttachment, Post, PostAttachment, Thread
from mutualis.information.normalise import search_text
from mutualis.information.services.posts import publish_post, save_post
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

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
    *,
    title: str,
    body: str,
    by: User,
    commune: Commune | None,
    programme: Programme,
    uploads: Iterable = (),
    submission: str = "",
) -> Thread:
    """A new thread among the communes of `programme` (and its staff)."""
    with transaction.atomic():
        submissions.claim(submission)
        thread = Thread.objects.create(title=title, created_by=by, programme=programme)
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
    *,
    thread: Thread,
    body: str,
    by: User,
    commune: Commune | None,
    uploads: Iterable = (),
    submission: str = "",
) -> Message:
    with transaction.atomic():
        submissions.claim(submission)
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
