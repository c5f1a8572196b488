"""The weekly digest mail."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts.models import User
from mutualis.information.enums import Category
from mutualis.information.models import DigestSent, Post
from mutualis.information.services._common import _site
from mutualis.information.services.alerts import _unsubscribe_link, is_unsubscribed


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
