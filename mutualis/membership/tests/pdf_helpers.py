"""Tiny hand-written PDFs for the tests: one with a text layer, one that is only a page image."""

from __future__ import annotations

import zlib


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf(lines: list[str]) -> bytes:
    """An A4 page writing `lines` in Helvetica (WinAnsi, so French accents survive)."""
    commands = [b"BT /F1 10 Tf 12 TL 40 800 Td"]
    for line in lines:
        escaped = (
            line.encode("cp1252")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
        )
        commands.append(b"(" + escaped + b") Tj T*")
    commands.append(b"ET")
    content = b"\n".join(commands)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )


def image_pdf(
    width: int, height: int, gray: bytes, page: tuple[float, float] = (595, 842)
) -> bytes:
    """A page (A4 unless `page` gives its size in points) that is only a grey image: a scan,
    with no text layer at all."""
    page_width, page_height = (b"%.2f" % value for value in page)
    content = b"q %s 0 0 %s 0 0 cm /Im1 Do Q" % (page_width, page_height)
    image = _stream(
        zlib.compress(gray),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Filter /FlateDecode " % (width, height),
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents 4 0 R"
            b" /Resources << /XObject << /Im1 5 0 R >> >> >>" % (page_width, page_height),
            _stream(content),
            image,
        ]
    )
