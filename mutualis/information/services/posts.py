"""Posts: saving a draft, publishing it, withdrawing it."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts.models import User
from mutualis.core import audit
from mutualis.core.uploads import KINDS, stored_uploads
from mutualis.information import search
from mutualis.information.enums import UPLOAD_KINDS, AudienceKind, Category, PostStatus
from mutualis.information.markup import render
from mutualis.information.models import Post, PostAttachment
from mutualis.information.normalise import search_text
from mutualis.information.services.alerts import send_alert_emails
from mutualis.territory.models import Commune

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
