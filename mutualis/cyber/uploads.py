"""Check an uploaded evidence file by its content (not its name) and give it a random name.

A local helper until a shared `core.uploads` exists: the type is sniffed from the first bytes
(and, for office documents, from the zip's declared content), the size is bounded, and the stored
name is random so that nobody can guess another file's path.
"""

import io
import re
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# (extension, MIME type, label) by what the file really is.
PDF = ("pdf", "application/pdf")
PNG = ("png", "image/png")
JPEG = ("jpg", "image/jpeg")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = ("odt", "application/vnd.oasis.opendocument.text")
ODS = ("ods", "application/vnd.oasis.opendocument.spreadsheet")
ACCEPTED_LABEL = "PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS"


class UploadRefused(ValueError):
    """A file that may not be stored; the message says why, in French."""


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int
    original_name: str

    def random_name(self) -> str:
        return f"{secrets.token_hex(16)}.{self.extension}"


def max_upload_bytes() -> int:
    return min(settings.MUTUALIS_MAX_UPLOAD_BYTES, 10 * 1024 * 1024)


def sniff(head: bytes, whole: bytes | None = None) -> tuple[str, str] | None:
    """The (extension, MIME type) the bytes really are, or None if not an accepted type."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04") and whole is not None:
        return _sniff_zip(whole)
    return None


def _sniff_zip(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                return next((t for t in (ODT, ODS) if t[1] == declared), None)
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse an empty, too large or unexpected file; the message names the file."""
    name = clean_name(upload.name or "fichier")
    limit = max_upload_bytes()
    if not upload.size:
        raise UploadRefused(_("Le fichier « %(name)s » est vide.") % {"name": name})
    if upload.size > limit:
        raise UploadRefused(
            _("Le fichier « %(name)s » dépasse la taille maximale (%(limit)s).")
            % {"name": name, "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = sniff(data[:16], data)
    if kind is None:
        raise UploadRefused(
            _(
                "Le fichier « %(name)s » n'est pas d'un type accepté (%(types)s) : "
                "son contenu a été vérifié, pas seulement son nom."
            )
            % {"name": name, "types": ACCEPTED_LABEL}
        )
    return CheckedUpload(
        extension=kind[0], content_type=kind[1], size=len(data), original_name=name
    )


def clean_name(name: str) -> str:
    """A display name safe in a Content-Disposition header: no path, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"]", "", name).strip() or "fichier"
    return name[:150]
