"""Uploads: checked by content, size-limited, randomly named, nothing half-saved, served privately."""

import errno
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from mutualis.core.models import AuditEvent
from mutualis.core.uploads import (
    UploadError,
    random_upload_path,
    serve_protected_file,
    sniff_kind,
    store_upload,
    stored_upload,
    validate_upload,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_pdf_is_recognised_by_its_content_not_its_name():
    assert validate_upload(SimpleUploadedFile("scan.jpg", PDF), kinds=("pdf",)) == "pdf"


def test_a_png_named_pdf_is_refused_with_a_french_message_naming_it():
    with pytest.raises(UploadError) as refused:
        validate_upload(SimpleUploadedFile("deliberation.pdf", PNG), kinds=("pdf",))
    message = refused.value.messages[0]
    assert "« deliberation.pdf »" in message and "image PNG" in message and "PDF" in message


def test_a_file_over_the_limit_or_empty_is_refused():
    with pytest.raises(UploadError, match="la limite est de 1 Mo"):
        validate_upload(SimpleUploadedFile("gros.pdf", PDF + b"0" * 2_000_000), max_bytes=1048576)
    with pytest.raises(UploadError, match="est vide"):
        validate_upload(SimpleUploadedFile("vide.pdf", b""))


def test_office_documents_are_told_apart_by_their_inside():
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    xlsx = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})
    assert [sniff_kind(io.BytesIO(d)) for d in (odt, docx, xlsx)] == ["odt", "docx", "xlsx"]
    assert sniff_kind(io.BytesIO(_zip({"a.txt": b"x"}))) is None


def test_text_and_csv():
    assert validate_upload(SimpleUploadedFile("a.csv", b"insee;nom\n"), kinds=("csv",)) == "csv"
    with pytest.raises(UploadError):
        validate_upload(SimpleUploadedFile("a.csv", b"\x00\x01\x02binary"), kinds=("csv",))


@given(st.binary(max_size=2048))
def test_sniffing_never_crashes_on_any_bytes(data):
    kind = sniff_kind(io.BytesIO(data))
    assert kind is None or isinstance(kind, str)


def test_random_paths_say_nothing_and_never_repeat():
    paths = {random_upload_path("deliberations/../x", "pdf") for _ in range(100)}
    assert len(paths) == 100
    assert all(p.startswith("deliberations/x/") and p.endswith(".pdf") for p in paths)
    assert all(".." not in p for p in paths)


def test_store_upload_keeps_the_original_name_only_as_data(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    stored = store_upload(
        SimpleUploadedFile("Délibération Odars.pdf", PDF), prefix="d", storage=storage
    )
    assert stored.original_name == "Délibération Odars.pdf" and "Odars" not in stored.name
    assert storage.open(stored.name).read() == PDF and stored.size == len(PDF)


class FullDisk(FileSystemStorage):
    """The disk refuses the write half-way: some bytes reach the file, then ENOSPC."""

    def _save(self, name, content):
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.read(10))
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_disk_refusing_the_upload_leaves_no_file_and_no_record(db, tmp_path):
    storage = FullDisk(location=tmp_path)
    before = AuditEvent.objects.count()
    upload = SimpleUploadedFile("convention.pdf", PDF)
    with (
        pytest.raises(UploadError) as refused,
        stored_upload(upload, prefix="c", storage=storage),
    ):
        AuditEvent.objects.create(action="test.upload", object_type="x", object_id="1", summary="s")
    assert "« convention.pdf » n'a pas pu être enregistré" in refused.value.messages[0]
    assert list(tmp_path.rglob("*.pdf")) == []
    assert AuditEvent.objects.count() == before


def test_a_failing_record_removes_the_stored_file(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    with (
        pytest.raises(RuntimeError),
        stored_upload(SimpleUploadedFile("a.pdf", PDF), prefix="c", storage=storage),
    ):
        raise RuntimeError("the database refused the record")
    assert list(tmp_path.rglob("*.pdf")) == []


def test_serve_protected_file_is_private_and_sandboxed(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("d/2026/abc.pdf", ContentFile(PDF))
    field_file = storage.open(name)
    field_file.name = name
    response = serve_protected_file(
        RequestFactory().get("/"), field_file, filename="Délibération.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert (
        "attachment" in response["Content-Disposition"]
        and "D%C3%A9lib" in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
