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

import codecs
import hashlib
import mimetypes
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mutualis.core.compressed import CompressedTooLarge, check_zip, read_member_head


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
        Kind(
            "pptx",
            "présentation PowerPoint",
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        Kind("odt", "texte OpenDocument", "odt", "application/vnd.oasis.opendocument.text"),
        Kind(
            "ods", "classeur OpenDocument", "ods", "application/vnd.oasis.opendocument.spreadsheet"
        ),
        Kind(
            "odp",
            "présentation OpenDocument",
            "odp",
            "application/vnd.oasis.opendocument.presentation",
        ),
        # Text is checked to be UTF-8 throughout, so the charset is known.
        Kind("csv", "fichier CSV", "csv", "text/csv; charset=utf-8"),
        Kind("txt", "texte", "txt", "text/plain; charset=utf-8"),
        Kind("md", "texte Markdown", "md", "text/markdown; charset=utf-8"),
    ]
}
# Content alone says "text"; among the text kinds, the name's extension picks one. A text file
# named anything else (page.html, image.svg, script.js) is refused: it is not a plain document.
TEXT_KINDS = ("txt", "csv", "md")
_SNIFF_BYTES = 8192

# The documents a town hall exchanges (a text file is accepted as "txt" whether or not it looks
# like a CSV): the default of purchasing and support attachments.
DOCUMENT_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods", "txt")


class UploadError(ValidationError):
    """A refused or failed upload, with a French message naming the file and the problem."""


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    return head


def _zip_kind(file) -> str | None:
    """The office kind of a ZIP, from its member names and at most a few bytes of one member.

    Raises CompressedTooLarge for an archive whose declared sizes or ratios are a bomb's."""
    try:
        with zipfile.ZipFile(file) as archive:
            check_zip(archive, name=clean_name(getattr(file, "name", "") or "", "archive"))
            names = set(archive.namelist())
            if "mimetype" in names:
                head = read_member_head(archive, "mimetype", limit=200)
                mimetype = head.decode("ascii", "replace").strip()
                return {
                    "application/vnd.oasis.opendocument.text": "odt",
                    "application/vnd.oasis.opendocument.spreadsheet": "ods",
                    "application/vnd.oasis.opendocument.presentation": "odp",
                }.get(mimetype)
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "docx"
                if any(n.startswith("xl/") for n in names):
                    return "xlsx"
                if any(n.startswith("ppt/") for n in names):
                    return "pptx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return None
    except ValueError as error:
        if isinstance(error, CompressedTooLarge):
            raise
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
    if head and _is_utf8_text(file):
        text = head.decode("utf-8", "ignore")  # only a character cut at the boundary is dropped
        first_line = text.splitlines()[0] if text.splitlines() else ""
        return "csv" if ("," in first_line or ";" in first_line) else "txt"
    return None


def _is_utf8_text(file) -> bool:
    """The whole file is UTF-8 without NUL bytes (read in chunks, not just its head)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def clean_name(name: str, fallback: str = "fichier") -> str:
    """The file's own name, safe to show and to put in a download header: no folder, no control
    character or quote, at most 150 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[\x00-\x1f\x7f"]', "", name).strip()
    return name[:150] or fallback


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

    A text file (UTF-8 throughout, no NUL byte) takes the kind its name's extension says among
    the allowed text kinds (txt, csv, md), else any allowed text kind, since content alone
    cannot tell them apart; text named otherwise (.html, .svg, .js…) is refused.
    """
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    name = clean_name(getattr(file, "name", "") or "", fallback=_("sans nom"))
    limit = max_bytes or settings.MUTUALIS_MAX_UPLOAD_BYTES
    size = _size(file)
    if size == 0:
        raise UploadError(_("Le fichier « %(name)s » est vide.") % {"name": name}, code="empty")
    if size > limit:
        raise UploadError(
            _("Le fichier « %(name)s » pèse %(size)s Mo : la limite est de %(limit)s Mo.")
            % {
                "name": name,
                "size": f"{size / 1048576:.1f}".replace(".", ","),
                "limit": f"{limit / 1048576:.0f}",
            },
            code="too_large",
        )
    try:
        kind = sniff_kind(file)
    except CompressedTooLarge as error:
        raise UploadError(str(error), code="bomb") from error
    if kind in TEXT_KINDS:
        extension = PurePosixPath(clean_name(str(name))).suffix.lower().lstrip(".")
        if extension and extension not in TEXT_KINDS:
            kind = None  # text named as something else (HTML, SVG, script): not a document
        else:
            kind = next(
                (k for k in (extension, kind, "csv", "txt", "md") if k in kinds and k), kind
            )
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
    original = clean_name(getattr(file, "name", "") or "", fallback="")
    size, checksum = _size(file), _sha256(file)
    path = random_upload_path(prefix, kind)
    try:
        name = storage.save(path, file)
    except OSError as error:
        discard(path, storage=storage)
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


def discard(name: str, *, storage: Storage | None = None) -> None:
    """Remove a stored file whose record could not be written (or was refused afterwards)."""
    storage = storage or default_storage
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
        discard(stored.name, storage=storage)
        raise


@contextmanager
def stored_uploads(files: Iterable, **options) -> Iterator[list[StoredUpload]]:
    """Store every file for the block's records, all or none: if one cannot be stored, or if
    the block raises, the files already stored are removed (no orphan of a half-saved message)."""
    storage = options.get("storage") or default_storage
    stored: list[StoredUpload] = []
    try:
        for file in files:
            stored.append(store_upload(file, **options))
        yield stored
    except BaseException:
        for each in stored:
            discard(each.name, storage=storage)
        raise


class UploadFailureMiddleware:
    """An upload refused or failed (full disk, storage down) past a view's form is answered with
    its French message as a flash on the page the form was on, never a 500. The services store
    files with `stored_upload(s)` around their transaction, so nothing of the attempt remains."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, UploadError):
            return None
        messages.error(request, " ".join(exception.messages))
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = request.path if request.method == "GET" else "/"
        return HttpResponseRedirect(back)


def serve_protected_file(
    request: HttpRequest | None,
    field_file,
    *,
    filename: str,
    as_attachment: bool = True,
    kind: str | None = None,
    content_type: str | None = None,
) -> FileResponse:
    """Stream a stored file. Call it only from a view that has checked the person's access.

    `field_file` is a FieldFile or a storage name. The content type is the recognised `kind`'s
    (recorded at upload), or the one given, or else guessed from the random stored name, whose
    extension came from the sniffed kind. The response is private (never cached by a proxy), and
    carries a sandboxing CSP so that a file opened in the browser cannot run anything in the
    platform's origin.
    """
    if isinstance(field_file, str):
        field_file = default_storage.open(field_file, "rb")
    content_type = (
        (KINDS[kind].content_type if kind in KINDS else None)
        or content_type
        or mimetypes.guess_type(field_file.name)[0]
        or "application/octet-stream"
    )
    field_file.open("rb")
    response = FileResponse(
        field_file, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
