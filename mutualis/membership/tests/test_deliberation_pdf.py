"""Reading deliberation files: text in any common encoding, PDFs by text layer or OCR."""

import shutil
import subprocess
from pathlib import Path

import pytest

from mutualis.membership.deliberations import pdf
from mutualis.membership.deliberations.page_image import read_pgm
from mutualis.membership.deliberations.pdf import UnreadableDocument, read_file
from mutualis.membership.deliberations.reader import read_text
from mutualis.membership.tests.pdf_helpers import image_pdf, text_pdf

SEED = Path(__file__).with_name("documents") / "odars-2024-05-04.txt"
LINES = [
    "MAIRIE DE NOUEILLES",
    "DÉLIBÉRATION N° 2024-03",
    "Séance du 15 février 2024",
    "Date de convocation : 8 février 2024",
    "Présents : Gérard BAYLAC, Hélène SAINT-PAUL, Luc FERRIÉ",
    "Secrétaire de séance : Luc FERRIÉ",
    "Objet : Adhésion au socle de base",
    "Pour : 3 Contre : 0 Abstention : 0",
]


def test_utf8_text_is_read(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("Présents : Cécile FAURE", encoding="utf-8")
    assert read_file(path) == "Présents : Cécile FAURE"


def test_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes("Délibération – Présents : Cécile FAURE".encode("cp1252"))
    assert read_file(path) == "Délibération – Présents : Cécile FAURE"


def test_the_extension_is_not_trusted(tmp_path):
    path = tmp_path / "deliberation.pdf"
    path.write_bytes(SEED.read_bytes())
    assert read_text(read_file(path)).commune == "Odars"


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"\x00" * 10]
)
def test_binary_files_are_unreadable(tmp_path, content):
    path = tmp_path / "d.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match="ni un texte ni un PDF"):
        read_file(path)


def test_missing_file_and_directory_are_unreadable(tmp_path):
    with pytest.raises(UnreadableDocument, match="introuvable"):
        read_file(tmp_path / "absent.txt")
    with pytest.raises(UnreadableDocument, match="dossier"):
        read_file(tmp_path)


def test_a_broken_pdf_is_unreadable(tmp_path):
    path = tmp_path / "d.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    with pytest.raises(UnreadableDocument):
        read_file(path)


def test_pdf_text_layer_is_read_with_its_accents(tmp_path):
    path = tmp_path / "scan.bin"
    path.write_bytes(text_pdf(LINES))
    reading = read_text(read_file(path))
    assert reading.number == "2024-03"
    assert reading.present == ("Gérard BAYLAC", "Hélène SAINT-PAUL", "Luc FERRIÉ")
    assert reading.subject == "Adhésion au socle de base"


def _scanned_pdf(tmp_path: Path) -> Path:
    source = tmp_path / "source.pdf"
    source.write_bytes(text_pdf(LINES))
    subprocess.run(["pdftoppm", "-r", "150", "-gray", str(source), str(tmp_path / "p")], check=True)
    width, height, pixels = read_pgm(next(tmp_path.glob("p*.pgm")).read_bytes())
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(image_pdf(width, height, pixels))
    return scanned


@pytest.mark.skipif(
    not (shutil.which("tesseract") and shutil.which("pdftoppm")),
    reason="OCR needs Debian's tesseract-ocr, tesseract-ocr-fra and poppler-utils",
)
def test_a_pdf_without_text_layer_goes_through_ocr(tmp_path):
    if not pdf._ocr_available():
        pytest.skip("tesseract has no French language data (tesseract-ocr-fra)")
    reading = read_text(read_file(_scanned_pdf(tmp_path)))
    assert reading.secretary == "Luc FERRIÉ"
    assert (reading.votes_for, reading.votes_against) == (3, 0)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="building the scan needs poppler-utils")
def test_a_scan_without_ocr_installed_says_so_clearly(tmp_path, monkeypatch):
    scanned = _scanned_pdf(tmp_path)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableDocument, match="OCR n'est pas installé"):
        read_file(scanned)
