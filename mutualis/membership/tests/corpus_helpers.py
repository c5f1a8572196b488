"""The test corpus as real documents: PDFs with a text layer made by WeasyPrint at several page
widths and fonts, and scans of them (page images with noise, no text layer) for the OCR path."""

from __future__ import annotations

import html
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mutualis.membership.deliberations.corpus import EXPECTED_SUFFIX, documents_in
from mutualis.membership.deliberations.page_image import read_pgm
from mutualis.membership.tests.pdf_helpers import image_pdf

CORPUS = Path(__file__).with_name("corpus")
SEED = Path(__file__).with_name("documents") / "odars-2024-05-04.txt"
_CELL_SPLIT_RE = re.compile(r"\s*\|\s*|\t+")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Page:
    """A page layout: its width (the height is A4's), font and size, as town halls print."""

    name: str
    width_mm: int
    font: str
    size_pt: float


# An ordinary A4 page in a serif font, an A5 page in a sans font and a narrow column in another
# serif: justified text wraps names, counts and headings at different places on each.
A4_SERIF = Page("a4-serif", 210, "DejaVu Serif", 11)
A5_SANS = Page("a5-sans", 148, "Liberation Sans", 10)
NARROW_SERIF = Page("narrow-serif", 120, "Liberation Serif", 11)
PAGES = (A4_SERIF, A5_SANS, NARROW_SERIF)


def _html(text: str, page: Page) -> str:
    parts: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            cells = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                for row in rows
            )
            parts.append(f"<table>{cells}</table>")
            rows.clear()

    for line in text.split("\n"):
        if "|" in line or "\t" in line:
            rows.append([c for c in _CELL_SPLIT_RE.split(line.strip(" |")) if c])
            continue
        flush()
        if line.strip():
            parts.append("<p>" + _BOLD_RE.sub(r"<b>\1</b>", html.escape(line)) + "</p>")
    flush()
    css = (
        f"@page {{ size: {page.width_mm}mm 297mm; margin: 20mm 18mm; }}"
        f" body {{ font-family: '{page.font}'; font-size: {page.size_pt}pt; text-align: justify }}"
        " p { margin: 0 0 6pt 0 } td { border: 1px solid black; padding: 2pt 4pt }"
    )
    return f"<html lang='fr'><head><style>{css}</style></head><body>{''.join(parts)}</body></html>"


def render_pdf(text: str, page: Page) -> bytes:
    """The document printed to PDF as a word processor would: justified paragraphs, tables."""
    from weasyprint import HTML

    return HTML(string=_html(text, page)).write_pdf()


def scan_pdf(pdf: bytes, *, dpi: int, seed: int, noise: float = 0.002) -> bytes:
    """A scan of the PDF's first page: rendered to grey at `dpi`, with a fraction `noise` of
    pixels flipped to speckles, as one page image without any text layer."""
    with tempfile.TemporaryDirectory(prefix="mutualis-scan-") as folder:
        source = Path(folder) / "source.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(source), f"{folder}/p"],
            check=True,
            capture_output=True,
        )
        width, height, pixels = read_pgm(next(Path(folder).glob("p*.pgm")).read_bytes())
    noisy = bytearray(pixels)
    rng = random.Random(seed)
    for position in rng.sample(range(len(noisy)), int(len(noisy) * noise)):
        noisy[position] = 255 - noisy[position] if rng.random() < 0.5 else rng.randrange(96, 200)
    # The page keeps the PDF's own size (72 points per inch).
    return image_pdf(width, height, bytes(noisy), page=(width * 72 / dpi, height * 72 / dpi))


def ocr_available() -> bool:
    from mutualis.membership.deliberations import pdf

    return bool(shutil.which("pdftoppm")) and pdf._ocr_available()


def pdf_corpus(target: Path, page: Page, source: Path = CORPUS) -> Path:
    """A copy of the corpus folder with each text document printed to PDF on `page`."""
    target.mkdir(parents=True, exist_ok=True)
    for document, expected in documents_in(source):
        stem = expected.name[: -len(EXPECTED_SUFFIX)]
        (target / f"{stem}.pdf").write_bytes(render_pdf(document.read_text(encoding="utf-8"), page))
        shutil.copy(expected, target / expected.name)
    return target
