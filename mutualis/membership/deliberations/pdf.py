"""Text of a deliberation file: plain text in any common encoding, or a PDF (text layer or OCR)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .page_image import erase_rules, read_pgm, write_pgm

PDF_MAGIC = b"%PDF-"
OCR_LANGUAGE = "fra"
# One column of text of varying sizes: a deliberation's page. Tesseract's default (automatic
# layout) cuts a count table into blocks read apart from each other.
OCR_PAGE_MODE = "4"
OCR_TIMEOUT_SECONDS = 120
MAX_FILE_BYTES = 50 * 1024 * 1024
PDF_CHAR_MARGIN = 6.0
OCR_MISSING = gettext_lazy(
    "Ce PDF n'a pas de couche texte et l'OCR n'est pas installé : installez les paquets Debian"
    " tesseract-ocr, tesseract-ocr-fra et poppler-utils."
)


class UnreadableDocument(Exception):
    """The file cannot be read as a deliberation; the message says why, in French."""


class NeedsOcr(UnreadableDocument):
    """The PDF has no text layer and OCR was not asked for: its pages must be recognised, which
    takes seconds per page (the upload page queues it rather than wait)."""


def _ocr_tools() -> tuple[str, str] | None:
    """Full paths of tesseract and pdftoppm when both are installed with French, else None."""
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    if not (tesseract and pdftoppm):
        return None
    try:
        # A fixed argument list, no shell: nothing from the document reaches the command line.
        languages = subprocess.run(  # noqa: S603
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if OCR_LANGUAGE not in (languages.stdout + languages.stderr).split():
        return None
    return tesseract, pdftoppm


def _ocr_available() -> bool:
    return _ocr_tools() is not None


def _ocr(path: Path, *, timeout: float | None = None) -> str:
    """OCR of every page; `timeout` (seconds) bounds the whole document, not each page."""
    tools = _ocr_tools()
    if tools is None:
        raise UnreadableDocument(str(OCR_MISSING))
    tesseract, pdftoppm = tools
    deadline = None if timeout is None else time.monotonic() + timeout

    def step_timeout() -> float:
        if deadline is None:
            return OCR_TIMEOUT_SECONDS
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired("ocr", timeout or 0)
        return min(OCR_TIMEOUT_SECONDS, left)

    with tempfile.TemporaryDirectory(prefix="mutualis-ocr-") as folder:
        try:
            # Argument lists without a shell; the only variable parts are file paths.
            subprocess.run(  # noqa: S603
                [pdftoppm, "-r", "300", "-gray", str(path), f"{folder}/page"],
                capture_output=True,
                timeout=step_timeout(),
                check=True,
            )
            pages = []
            for image in sorted(Path(folder).glob("page*.pgm")):
                _erase_table_rules(image)
                result = subprocess.run(  # noqa: S603
                    [
                        tesseract,
                        str(image),
                        "stdout",
                        "-l",
                        OCR_LANGUAGE,
                        "--psm",
                        OCR_PAGE_MODE,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=step_timeout(),
                    check=True,
                )
                pages.append(result.stdout)
        except subprocess.TimeoutExpired as error:
            limit = timeout if timeout is not None else OCR_TIMEOUT_SECONDS
            raise UnreadableDocument(
                _("L'OCR du PDF a dépassé le délai de %(limit)s secondes.")
                % {"limit": f"{limit:g}"}
            ) from error
        except (OSError, subprocess.SubprocessError) as error:
            raise UnreadableDocument(
                _("L'OCR du PDF a échoué : %(error)s") % {"error": error}
            ) from error
    return "\n\f".join(pages)


def _erase_table_rules(image: Path) -> None:
    """The page image rewritten without its table rules (see page_image), in place."""
    try:
        width, height, pixels = read_pgm(image.read_bytes())
    except ValueError:  # not the grey image pdftoppm writes: OCR reads it as it is
        return
    image.write_bytes(write_pgm(width, height, erase_rules(width, height, pixels)))


def extract_text(path: str | Path, *, ocr: bool = True, timeout: float | None = None) -> str:
    """Text of a PDF: its text layer, or OCR of its pages when that layer is empty (NeedsOcr
    instead when `ocr` is false; `timeout` bounds the OCR of the whole document)."""
    from pdfminer.high_level import extract_text as pdfminer_extract_text
    from pdfminer.layout import LAParams

    path = Path(path)
    try:
        # Justified lines space their words wider than pdfminer's default margin (2 character
        # widths): with that default a line falls apart into boxes read out of order.
        text = pdfminer_extract_text(str(path), laparams=LAParams(char_margin=PDF_CHAR_MARGIN))
    except Exception as error:  # pdfminer raises many private error types on broken files
        raise UnreadableDocument(
            _("PDF illisible (%(name)s) : %(error)s") % {"name": path.name, "error": error}
        ) from error
    if text.strip():
        return text
    if not ocr:
        raise NeedsOcr(
            _("%(name)s n'a pas de couche texte : ses pages doivent passer par l'OCR.")
            % {"name": path.name}
        )
    return _ocr(path, timeout=timeout)


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) // 100


def decode_text(data: bytes) -> str:
    """Text bytes decoded as UTF-8, else Windows-1252, else Latin-1 (old town-hall software)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_bytes(data: bytes, name: str, *, ocr: bool = True, timeout: float | None = None) -> str:
    """Text of an uploaded deliberation (its bytes and the name to quote in messages); `ocr` and
    `timeout` as for `extract_text`."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(
            _("%(name)s est trop volumineux pour une délibération.") % {"name": name}
        )
    if data.startswith(PDF_MAGIC):
        with tempfile.NamedTemporaryFile(prefix="mutualis-deliberation-", suffix=".pdf") as temp:
            temp.write(data)
            temp.flush()
            try:
                return extract_text(temp.name, ocr=ocr, timeout=timeout)
            except UnreadableDocument as error:
                message = str(error).replace(Path(temp.name).name, name)
                raise type(error)(message) from error
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return decode_text(data)
        except UnicodeDecodeError as error:
            raise UnreadableDocument(
                _("%(name)s : texte UTF-16 illisible.") % {"name": name}
            ) from error
    if _looks_binary(data):
        raise UnreadableDocument(_("%(name)s n'est ni un texte ni un PDF.") % {"name": name})
    return decode_text(data)


def read_file(path: str | Path) -> str:
    """Text of a deliberation file, text or PDF whatever its name says; else UnreadableDocument."""
    path = Path(path)
    if not path.exists():
        raise UnreadableDocument(_("Fichier introuvable : %(path)s") % {"path": path})
    if path.is_dir():
        raise UnreadableDocument(_("%(path)s est un dossier, pas un fichier.") % {"path": path})
    if not path.is_file():
        raise UnreadableDocument(_("%(path)s n'est pas un fichier ordinaire.") % {"path": path})
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableDocument(
                _("%(path)s est trop volumineux pour une délibération.") % {"path": path}
            )
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(
            _("Lecture impossible de %(path)s : %(error)s") % {"path": path, "error": error}
        ) from error
    if data.startswith(PDF_MAGIC):
        return extract_text(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return decode_text(data)
        except UnicodeDecodeError as error:
            raise UnreadableDocument(
                _("%(path)s : texte UTF-16 illisible.") % {"path": path}
            ) from error
    if _looks_binary(data):
        raise UnreadableDocument(_("%(path)s n'est ni un texte ni un PDF.") % {"path": path})
    return decode_text(data)
