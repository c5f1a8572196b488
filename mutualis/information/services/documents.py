"""The document library: saving a document and adding a version."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.accounts.models import User
from mutualis.core import audit
from mutualis.core.uploads import KINDS, stored_upload
from mutualis.information import search
from mutualis.information.enums import UPLOAD_KINDS, AudienceKind
from mutualis.information.models import Document, DocumentVersion
from mutualis.information.normalise import search_text
from mutualis.territory.models import Commune

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
