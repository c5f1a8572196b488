"""Decompression bombs: a small archive that inflates to a gigabyte is refused cheaply."""

import io
import resource
import tracemalloc
import zipfile
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutualis.core.compressed import CompressedTooLarge, read_maybe_gzip
from mutualis.core.testing.bombs import gzip_of_whitespace, inflates_to, zip_bomb
from mutualis.core.uploads import UploadError, validate_upload

DOCUMENTS = ("pdf", "docx", "xlsx", "odt", "ods")


@contextmanager
def budget(*, megabytes: int, cpu_seconds: float):
    """Fail if the block allocates more than `megabytes` at its peak or uses more CPU time."""
    tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF)
    try:
        yield
    finally:
        after = resource.getrusage(resource.RUSAGE_SELF)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        assert peak < megabytes * 1048576, f"peak {peak / 1048576:.0f} MB"
        assert cpu < cpu_seconds, f"cpu {cpu:.1f} s"


def test_an_odt_whose_mimetype_inflates_to_a_gigabyte_is_refused_cheaply():
    bomb = SimpleUploadedFile("rapport.odt", zip_bomb("mimetype", mebibytes=1024))
    with budget(megabytes=16, cpu_seconds=1.0), pytest.raises(UploadError) as refused:
        validate_upload(bomb, kinds=DOCUMENTS)
    assert refused.value.messages[0] == (
        "L'archive « rapport.odt » se décompresserait en 1024 Mo : la limite est de 512 Mo."
    )


def test_a_member_compressed_a_thousand_times_is_refused_cheaply():
    bomb = SimpleUploadedFile("tableau.ods", zip_bomb("mimetype", mebibytes=100))
    with budget(megabytes=16, cpu_seconds=1.0), pytest.raises(UploadError) as refused:
        validate_upload(bomb, kinds=DOCUMENTS)
    assert "« tableau.ods » est anormalement compressée" in refused.value.messages[0]


def test_a_member_that_lies_about_its_size_is_read_only_a_few_bytes():
    bomb = SimpleUploadedFile("rapport.odt", zip_bomb("mimetype", mebibytes=1024, declared=46))
    with budget(megabytes=16, cpu_seconds=1.0), pytest.raises(UploadError, match="format"):
        validate_upload(bomb, kinds=DOCUMENTS)


def test_a_gzip_of_whitespace_is_refused_past_its_ratio(tmp_path):
    path = tmp_path / "communes-2026.json.gz"
    path.write_bytes(gzip_of_whitespace(1024))
    with budget(megabytes=96, cpu_seconds=2.0), pytest.raises(CompressedTooLarge) as refused:
        read_maybe_gzip(path, max_bytes=512 * 1048576, max_ratio=50)
    assert "se décompresse en plus de" in str(refused.value)


def test_a_gzip_within_its_limits_is_read_whole(tmp_path):
    path = tmp_path / "small.json.gz"
    data = gzip_of_whitespace(1)
    path.write_bytes(data)
    assert len(read_maybe_gzip(path, max_bytes=2 * 1048576, max_ratio=2000)) == inflates_to(data)


def test_an_ordinary_office_document_is_still_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document/>" * 1000)
    assert validate_upload(SimpleUploadedFile("a.odt", buffer.getvalue()), kinds=DOCUMENTS) == "odt"
