"""Small helpers to write posts and memberships in tests."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutualis.accounts.models import User
from mutualis.information import services
from mutualis.information.enums import AudienceKind, Category, Severity
from mutualis.information.models import Post
from mutualis.membership.models import Membership
from mutualis.programme.services import shipped_programme

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def coordinator() -> User:
    return User.objects.get(username="coordinator")


def published_post(
    title: str = "Une publication de test",
    *,
    body: str = "Texte.",
    category: str = Category.NEWS,
    communes=(),
    days_ago: float = 0.01,
    mail: bool = False,
    **fields,
) -> Post:
    # Written for the Sicoval's programme, as its coordinator does on the page (the instance-wide
    # posts are the operator's team's: pass programme=None).
    fields.setdefault("programme", shipped_programme())
    if communes:
        fields.setdefault("audience", AudienceKind.COMMUNES)
    if category == Category.ALERT:
        fields.setdefault("severity", Severity.CRITICAL)
    post = Post(
        title=title,
        body=body,
        category=category,
        publish_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )
    if not mail:
        post.alert_emailed_at = timezone.now()
    services.save_post(post=post, by=coordinator(), communes=communes)
    services.publish_post(post=post, by=coordinator())
    return post


def offer_post(title: str = "Pour l'offre avancée sans DSI", offer: str = "advanced-without-it"):
    return published_post(title, audience=AudienceKind.OFFER, audience_offer=offer)


def put_in_offer(commune, status: str, offer: str = "advanced-without-it") -> Membership:
    return Membership.objects.create(
        programme=shipped_programme(), commune=commune, offer_code=offer, status=status
    )


def upload(name: str = "note.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
