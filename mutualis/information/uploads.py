"""Uploaded files: checked (size, type sniffed from the content), stored under random names.

A file is never trusted by its name or its declared type: its first bytes say what it is, and only
documents a town hall exchanges are accepted (PDF, office documents, images, plain text). It is
stored under a random name outside any routed URL and served back only by views that first check
who may read it, always as a download.
"""

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

# Office Open XML and OpenDocument files are ZIP archives: their inner layout tells them apart.
_ZIP_KINDS = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_TEXT_EXTENSIONS = {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown"}
ACCEPTED = _("PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, texte ou CSV")


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str


def sniff(head: bytes, whole: bytes | None, name: str) -> Sniffed | None:
    """What the content really is, from its bytes; None when it is not an accepted kind."""
    if head.startswith(b"%PDF-"):
        return Sniffed("pdf", "application/pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("png", "image/png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("jpg", "image/jpeg")
    if head.startswith(b"PK\x03\x04") and whole is not None:
        return _sniff_zip(whole)
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension in _TEXT_EXTENSIONS and whole is not None and b"\x00" not in whole:
        try:
            whole.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return Sniffed(extension, _TEXT_EXTENSIONS[extension] + "; charset=utf-8")
    return None


def _sniff_zip(data: bytes) -> Sniffed | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "ignore").strip()
                if mimetype in _ODF:
                    return Sniffed(_ODF[mimetype], mimetype)
            if "[Content_Types].xml" in names:
                for prefix, (extension, content_type) in _ZIP_KINDS.items():
                    if any(n.startswith(prefix) for n in names):
                        return Sniffed(extension, content_type)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    return None


@dataclass(frozen=True)
class StoredUpload:
    path: str
    original_name: str
    content_type: str
    size: int


def check_upload(upload) -> Sniffed:
    """Refuse a file too large or of a kind not accepted, naming the file; else say what it is."""
    name = PurePath(upload.name or "fichier").name
    limit = settings.MUTUALIS_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("« %(name)s » dépasse la taille maximale de %(limit)s Mo.")
            % {"name": name, "limit": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("« %(name)s » est vide.") % {"name": name})
    upload.seek(0)
    whole = upload.read()
    upload.seek(0)
    found = sniff(whole[:16], whole, name)
    if found is None:
        raise ValidationError(
            _("« %(name)s » n'est pas d'un type accepté (%(accepted)s).")
            % {"name": name, "accepted": ACCEPTED}
        )
    return found


def store_upload(upload, *, folder: str) -> StoredUpload:
    """Store a checked file under a random name; the original name is kept only as a label."""
    found = check_upload(upload)
    name = f"{folder}/{secrets.token_hex(16)}.{found.extension}"
    upload.seek(0)
    path = default_storage.save(name, upload)
    return StoredUpload(
        path=path,
        original_name=PurePath(upload.name or "fichier").name[:200],
        content_type=found.content_type,
        size=upload.size,
    )


def serve(path: str, *, original_name: str, content_type: str) -> FileResponse:
    """Send a stored file as a download (never rendered inline), under its original name."""
    response = FileResponse(
        default_storage.open(path, "rb"), as_attachment=True, filename=original_name
    )
    response["Content-Type"] = content_type
    response["Cache-Control"] = "private, no-store"
    return response
