"""Uploaded files of purchasing and support: checked by content, stored under random names,
served only by views that have checked access.

A stand-in for the shared `mutualis.core.uploads` being written in parallel; it keeps the same
function names (`validate_upload`, `store_upload`, `serve_protected_file`) so the switch is an
import change.
"""

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

KINDS = {
    "pdf": ("PDF", "pdf", "application/pdf"),
    "png": ("image PNG", "png", "image/png"),
    "jpeg": ("image JPEG", "jpg", "image/jpeg"),
    "docx": (
        "document Word",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "classeur Excel",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "odt": ("texte OpenDocument", "odt", "application/vnd.oasis.opendocument.text"),
    "ods": ("classeur OpenDocument", "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "txt": ("texte", "txt", "text/plain"),
}
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods", "txt")


def sniff_kind(file) -> str | None:
    """The kind recognised from the first bytes, never from the name or the browser's word."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
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
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not just a character cut at the boundary
                return None
        return "txt"
    return None


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def validate_upload(file, *, kinds=DOCUMENT_KINDS) -> str:
    """The recognised kind, or a ValidationError in French naming the file and the problem."""
    name = PurePosixPath(getattr(file, "name", "") or "").name or _("sans nom")
    limit = getattr(settings, "MUTUALIS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    size = _size(file)
    if size == 0:
        raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": name})
    if size > limit:
        raise ValidationError(
            _("Le fichier « %(name)s » pèse %(size)s Mo : la limite est de %(limit)s Mo.")
            % {"name": name, "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
        )
    kind = sniff_kind(file)
    if kind not in kinds:
        raise ValidationError(
            _(
                "Le fichier « %(name)s » n'est pas d'un format accepté (contenu reconnu : "
                "%(found)s). Formats acceptés : %(accepted)s."
            )
            % {
                "name": name,
                "found": KINDS[kind][0] if kind else _("format non reconnu"),
                "accepted": ", ".join(KINDS[k][0] for k in kinds),
            }
        )
    return kind


@dataclass(frozen=True)
class StoredUpload:
    name: str
    kind: str
    size: int
    sha256: str
    original_name: str


def store_upload(file, *, prefix: str, kinds=DOCUMENT_KINDS) -> StoredUpload:
    """Validate, then save as `<prefix>/<year>/<random hex>.<ext>`: the name reveals nothing."""
    kind = validate_upload(file, kinds=kinds)
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1 << 16), b""):
        digest.update(chunk)
    file.seek(0)
    path = f"{prefix}/{date.today().year}/{uuid.uuid4().hex}.{KINDS[kind][1]}"
    name = default_storage.save(path, file)
    return StoredUpload(
        name=name,
        kind=kind,
        size=_size(file),
        sha256=digest.hexdigest(),
        original_name=PurePosixPath(getattr(file, "name", "") or "").name[:255],
    )


def discard(name: str) -> None:
    """Remove a stored file whose record could not be written."""
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
    except OSError:
        pass  # a random-named orphan without a record reveals nothing


def serve_protected_file(field_file, *, kind: str, filename: str) -> FileResponse:
    """Stream a stored file; call it only from a view that has checked the person's access."""
    field_file.open("rb")
    response = FileResponse(
        field_file, as_attachment=True, filename=filename, content_type=KINDS[kind][2]
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
