"""Evidence files are recognised by their content, not their name (through `core.uploads`)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from mutualis.core.uploads import KINDS, UploadError, clean_name, random_upload_path, sniff_kind
from mutualis.core.uploads import validate_upload as _validate
from mutualis.cyber.services import EVIDENCE_KINDS, max_evidence_bytes


def check_upload(upload) -> str:
    return _validate(upload, kinds=EVIDENCE_KINDS, max_bytes=max_evidence_bytes())


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpg"),
        (_zip({"[Content_Types].xml": b"x", "word/document.xml": b"x"}), "docx"),
        (_zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x"}), "xlsx"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odt"),
    ],
)
def test_accepted_types_are_recognised(data, expected):
    assert KINDS[check_upload(SimpleUploadedFile("preuve.bin", data))].extension == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00",
        b"<html><script>",
        _zip({"evil.exe": b"MZ"}),
        b"PK\x03\x04broken",
        b"plain text is not evidence",
    ],
)
def test_other_content_is_refused(data, settings):
    with pytest.raises(
        UploadError, match=re.escape("« rapport.pdf » n'est pas d'un format accepté")
    ):
        check_upload(SimpleUploadedFile("rapport.pdf", data))


def test_empty_file_is_refused():
    with pytest.raises(UploadError, match="vide"):
        check_upload(SimpleUploadedFile("vide.pdf", b""))


def test_evidence_is_limited_to_10_mb_even_if_the_site_allows_more(settings):
    settings.MUTUALIS_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4 " + b"x" * (10 * 1024 * 1024))
    with pytest.raises(UploadError, match="la limite est de 10 Mo"):
        check_upload(big)


def test_random_names_do_not_repeat_and_hide_the_original():
    kind = check_upload(SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4 x"))
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    names = {random_upload_path("cyber/evidence", kind) for _ in range(50)}
    assert len(names) == 50 and all(n.endswith(".pdf") and "passwd" not in n for n in names)


@given(st.binary(max_size=64))
def test_sniff_never_crashes(data):
    sniff_kind(io.BytesIO(data))


@given(st.text(max_size=300))
def test_clean_name_is_header_safe(name):
    cleaned = clean_name(name)
    assert cleaned and "/" not in cleaned and '"' not in cleaned and "\n" not in cleaned
    assert len(cleaned) <= 150
