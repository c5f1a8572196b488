"""The information platform in the HTTP API: posts, alerts, acknowledgements, document metadata.

Every endpoint goes through the same audience rules as the pages (`readable_by`); another
commune's post or document answers 404.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from mutualis.accounts import perms
from mutualis.core.api_auth import api_access
from mutualis.core.collation import french
from mutualis.core.pagination import LimitOffset
from mutualis.information import perms as information_perms
from mutualis.information import services
from mutualis.information.enums import Category
from mutualis.information.models import Document, Post
from mutualis.programme.selection import programme_for

router = Router(tags=["information"])


class PostOut(Schema):
    id: int
    title: str
    category: str
    severity: str
    publish_at: datetime
    expires_at: datetime | None
    needs_acknowledgement: bool
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class PostDetailOut(PostOut):
    body: str
    body_html: str
    attachments: list[str]

    @staticmethod
    def resolve_attachments(obj) -> list[str]:
        return [a.original_name for a in obj.attachments.all()]


class AcknowledgementOut(Schema):
    commune: str
    insee_code: str
    by: str
    at: datetime


class AcknowledgementStatusOut(Schema):
    addressed: int
    acknowledged: list[AcknowledgementOut]
    pending: list[str]


class AcknowledgeIn(Schema):
    insee_code: str


class DocumentOut(Schema):
    id: int
    title: str
    kind: str
    description: str
    folder: str | None
    owner_commune: str | None
    version: int | None
    file_name: str | None
    updated_at: datetime

    @staticmethod
    def resolve_folder(obj) -> str | None:
        return obj.folder.name if obj.folder_id else None

    @staticmethod
    def resolve_owner_commune(obj) -> str | None:
        return obj.owner_commune.insee_code if obj.owner_commune_id else None

    @staticmethod
    def resolve_version(obj) -> int | None:
        return obj.latest_version.number if obj.latest_version_id else None

    @staticmethod
    def resolve_file_name(obj) -> str | None:
        return obj.latest_version.original_name if obj.latest_version_id else None


@router.get("/posts", response=list[PostOut])
@api_access(perms.is_signed_in)
@paginate(LimitOffset)
def list_posts(request, category: str = ""):
    """Posts addressed to the caller, of the programme (`?programme=SLUG`, see the pages) and
    for the whole instance, newest first (optionally one category)."""
    programme = programme_for(request, user=request.auth)
    queryset = Post.objects.readable_by(request.auth).current().for_programme(programme)
    if category:
        if category not in Category.values:
            raise HttpError(400, _("Rubrique inconnue : %(category)s.") % {"category": category})
        queryset = queryset.filter(category=category)
    return queryset.order_by("-publish_at", "-id")


@router.get("/posts/{post_id}", response=PostDetailOut)
@api_access(perms.is_signed_in)
def get_post(request, post_id: int):
    return get_object_or_404(
        Post.objects.readable_by(request.auth).prefetch_related("attachments"), pk=post_id
    )


@router.get("/alerts", response=list[PostOut])
@api_access(perms.is_signed_in)
def list_alerts(request):
    """Current critical alerts addressed to the caller (those that ask for acknowledgement)."""
    return list(
        Post.objects.readable_by(request.auth)
        .current()
        .needing_acknowledgement()
        .order_by("-publish_at", "-id")[:100]
    )


@router.post(
    "/posts/{post_id}/acknowledgements", response={200: AcknowledgementOut, 201: AcknowledgementOut}
)
@api_access(perms.is_commune_member)
def acknowledge(request, post_id: int, payload: AcknowledgeIn):
    """Confirm, for one of the caller's communes, that a critical alert has been read."""
    post = get_object_or_404(Post.objects.readable_by(request.auth), pk=post_id)
    communes = {c.insee_code: c for c in services.acknowledgeable_communes(post, request.auth)}
    commune = communes.get(payload.insee_code)
    if commune is None:
        raise HttpError(404, _("Aucune alerte à confirmer pour cette commune."))
    ack, created = services.acknowledge(post=post, commune=commune, by=request.auth)
    return Status(201 if created else 200, _ack_out(ack))


@router.get("/posts/{post_id}/acknowledgements", response=AcknowledgementStatusOut)
@api_access(information_perms.can_publish_information)
def acknowledgement_status(request, post_id: int):
    """Which addressed communes have confirmed reading a critical alert (programme team)."""
    post = get_object_or_404(Post.objects.readable_by(request.auth), pk=post_id)
    if not post.needs_acknowledgement:
        raise HttpError(404, _("Cette publication ne demande pas d'accusé de lecture."))
    status = services.acknowledgement_status(post, perms.visible_communes(request.auth))
    return {
        "addressed": status.total,
        "acknowledged": [_ack_out(ack) for _commune, ack in status.acknowledged],
        "pending": [c.insee_code for c in status.pending],
    }


def _ack_out(ack) -> dict:
    return {
        "commune": ack.commune.name,
        "insee_code": ack.commune.insee_code,
        "by": str(ack.by),
        "at": ack.at,
    }


@router.get("/documents", response=list[DocumentOut])
@api_access(perms.is_signed_in)
@paginate(LimitOffset)
def list_documents(request):
    """Metadata of the documents the caller may read, of the programme and for the whole
    instance, their communes' own included (files are downloaded from the pages)."""
    programme = programme_for(request, user=request.auth)
    return (
        Document.objects.readable_by(request.auth)
        .for_programme(programme)
        .select_related("folder", "owner_commune", "latest_version")
        .order_by(french("title"), "id")
    )


@router.get("/documents/{document_id}", response=DocumentOut)
@api_access(perms.is_signed_in)
def get_document(request, document_id: int):
    return get_object_or_404(
        Document.objects.readable_by(request.auth).select_related(
            "folder", "owner_commune", "latest_version"
        ),
        pk=document_id,
    )
