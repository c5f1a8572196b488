"""Alert mail: subscriptions, unsubscribe links, sending the alerts due."""

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.accounts.models import User
from mutualis.core import audit
from mutualis.information.enums import Category
from mutualis.information.models import MailPreference, Post
from mutualis.information.services._common import _site
from mutualis.information.services.acknowledgements import readers_of

UNSUBSCRIBE_SALT = "mutualis.information.unsubscribe"


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
