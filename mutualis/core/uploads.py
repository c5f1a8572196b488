"""Uploaded files: checked by content, stored under random names, served only by guarded views.

Every app that accepts a file uses these three steps:

    kind = validate_upload(upload, kinds=("pdf",))                 # in the form's clean_<field>
    with stored_upload(upload, prefix="deliberations", kinds=("pdf",)) as stored:
        Deliberation.objects.create(pdf=stored.name, ...)          # the file goes if this fails
    return serve_protected_file(request, deliberation.pdf, filename="deliberation.pdf")

The type is recognised from the first bytes (magic numbers), never from the name or the browser's
content type; the stored name is random (`random_upload_path`) so it reveals nothing and cannot be
guessed; no URL serves the media folder, so a file is only reachable through a view that has
checked, with `@access` and a lookup helper, that the person may see the object it belongs to.
"""

import hashlib
import mimetypes
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    extension: str
    content_type: str


KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind("pdf", "PDF", "pdf", "application/pdf"),
        Kind("png", "image PNG", "png", "image/png"),
        Kind("jpeg", "image JPEG", "jpg", "image/jpeg"),
        Kind(
            "docx",
            "document Word",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind(
            "xlsx",
            "classeur Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Kind("odt", "texte OpenDocument", "odt", "application/vnd.oasis.opendocument.text"),
        Kind(
            "ods", "classeur OpenDocument", "ods", "application/vnd.oasis.opendocument.spreadsheet"
        ),
        Kind("csv", "fichier CSV", "csv", "text/csv"),
        Kind("txt", "texte", "txt", "text/plain"),
    ]
}
_SNIFF_BYTES = 8192


class UploadError(ValidationError):
    """A refused or failed upload, with a French message naming the file and the problem."""


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    return head


def _zip_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {
                    "application/vnd.oasis.opendocument.text": "odt",
                    "application/vnd.oasis.opendocument.spreadsheet": "ods",
                }.get(mimetype)
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        file.seek(0)
    return None


def sniff_kind(file) -> str | None:
    """The kind recognised from the file's content, or None."""
    head = _read_head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file)
    if head and b"\x00" not in head:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the sniffing boundary is still text.
            if error.start < len(head) - 4:
                return None
            text = head[: error.start].decode("utf-8")
        first_line = text.splitlines()[0] if text.splitlines() else ""
        return "csv" if ("," in first_line or ";" in first_line) else "txt"
    return None


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def _labels(kinds: Iterable[str]) -> str:
    return ", ".join(KINDS[k].label for k in kinds)


def validate_upload(file, *, kinds: Iterable[str] = ("pdf",), max_bytes: int | None = None) -> str:
    """Check size and content type; return the recognised kind or raise UploadError (French).

    A text file is accepted as "txt" or "csv" interchangeably when either is allowed, since
    content alone cannot tell them apart reliably.
    """
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    name = getattr(file, "name", "") or _("sans nom")
    limit = max_bytes or settings.MUTUALIS_MAX_UPLOAD_BYTES
    size = _size(file)
    if size == 0:
        raise UploadError(_("Le fichier « %(name)s » est vide.") % {"name": name}, code="empty")
    if size > limit:
        raise UploadError(
            _("Le fichier « %(name)s » pèse %(size)s Mo : la limite est de %(limit)s Mo.")
            % {"name": name, "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            code="too_large",
        )
    kind = sniff_kind(file)
    if kind in {"txt", "csv"}:
        kind = next((k for k in (kind, "csv", "txt") if k in kinds), kind)
    if kind not in kinds:
        found = KINDS[kind].label if kind else _("format non reconnu")
        raise UploadError(
            _(
                "Le fichier « %(name)s » n'est pas d'un format accepté (contenu reconnu : "
                "%(found)s). Formats acceptés : %(accepted)s."
            )
            % {"name": name, "found": found, "accepted": _labels(kinds)},
            code="bad_type",
        )
    return kind


def random_upload_path(prefix: str, kind: str, *, today: date | None = None) -> str:
    """`<prefix>/<year>/<32 random hex>.<ext>`: says nothing about the file, cannot be guessed."""
    today = today or date.today()
    clean = "/".join(part for part in PurePosixPath(prefix).parts if part not in {"..", "/", "."})
    return f"{clean}/{today.year}/{uuid.uuid4().hex}.{KINDS[kind].extension}"


@dataclass(frozen=True)
class StoredUpload:
    name: str  # the storage name, to put in a FileField
    kind: str
    size: int
    sha256: str
    original_name: str


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def store_upload(
    file,
    *,
    prefix: str,
    kinds: Iterable[str] = ("pdf",),
    max_bytes: int | None = None,
    storage: Storage | None = None,
) -> StoredUpload:
    """Validate then save under a random name. A storage failure leaves no partial file behind."""
    storage = storage or default_storage
    kind = validate_upload(file, kinds=kinds, max_bytes=max_bytes)
    original = PurePosixPath(getattr(file, "name", "") or "").name
    size, checksum = _size(file), _sha256(file)
    path = random_upload_path(prefix, kind)
    try:
        name = storage.save(path, file)
    except OSError as error:
        _discard(storage, path)
        raise UploadError(
            _(
                "Le fichier « %(name)s » n'a pas pu être enregistré (stockage indisponible ou "
                "plein). Rien n'a été enregistré ; réessayez plus tard ou prévenez "
                "l'administrateur."
            )
            % {"name": original or path},
            code="storage",
        ) from error
    return StoredUpload(name=name, kind=kind, size=size, sha256=checksum, original_name=original)


def _discard(storage: Storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:
        pass  # nothing more can be done; the orphan has a random name and no record


@contextmanager
def stored_upload(file, **options) -> Iterator[StoredUpload]:
    """Store the file for the block's records; if the block raises, the file is removed."""
    storage = options.get("storage") or default_storage
    stored = store_upload(file, **options)
    try:
        yield stored
    except BaseException:
        _discard(storage, stored.name)
        raise


def serve_protected_file(
    request: HttpRequest, field_file, *, filename: str, as_attachment: bool = True
) -> FileResponse:
    """Stream a stored file. Call it only from a view that has checked the person's access.

    The response is private (never cached by a proxy), and carries a sandboxing CSP so that a
    file opened in the browser cannot run anything in the platform's origin.
    """
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    field_file.open("rb")
    response = FileResponse(
        field_file, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
