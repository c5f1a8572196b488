"""A scanned page made easier to read for OCR: the rules of a table erased, its text kept.

Tesseract reads the figures of a bordered count table badly (« 15 | 12 | 2 » comes out as
« EEE 14 713 ff ») and takes a row's borders for letters; without the borders the same cells read
as plain words and figures. A rule is a long thin run of dark pixels: a horizontal one longer than
any word, a vertical one meeting a horizontal one (a cell's side), so that a heading's tall
letters, far from any table, are never touched.

Pages come as 8-bit grey PGM images (what `pdftoppm -gray` writes); the work is done with byte
strings and regular expressions, row by row and column by column, in a second or so per page.
"""

from __future__ import annotations

import re

# At 300 dpi: a horizontal rule is at least 150 pixels long (12.7 mm, longer than a word), a
# vertical one at least 48 (4 mm, a cell's height); both erased with a margin for their blur.
HORIZONTAL_MIN = 150
VERTICAL_MIN = 48
MARGIN = 2
# A vertical rule must end within this many pixels of a horizontal one.
MEET = 8
_DARK = bytes(1 if value < 160 else 0 for value in range(256))
_WHITE = 255


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, pixels) of a binary 8-bit PGM image."""
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while data[position : position + 1].isspace():
            position += 1
        if data[position : position + 1] == b"#":
            position = data.index(b"\n", position) + 1
            continue
        end = position
        while end < len(data) and not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    if fields[0] != b"P5" or fields[3] != b"255":
        raise ValueError("not an 8-bit grey PGM image")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[position + 1 : position + 1 + width * height]
    if len(pixels) != width * height:
        raise ValueError("truncated PGM image")
    return width, height, pixels


def write_pgm(width: int, height: int, pixels: bytes) -> bytes:
    return b"P5\n%d %d\n255\n" % (width, height) + pixels


def _runs(length: int) -> re.Pattern[bytes]:
    # Dark pixels, a single light one allowed between two dark ones (a speck on the rule).
    return re.compile(rb"\x01(?:\x01|\x00(?=\x01)){%d,}" % (length - 1))


_HORIZONTAL_RE = _runs(HORIZONTAL_MIN)
_VERTICAL_RE = _runs(VERTICAL_MIN)


def erase_rules(width: int, height: int, pixels: bytes) -> bytes:
    """The page with its table rules turned white; a page without a table comes back as it was."""
    binary = pixels.translate(_DARK)
    horizontal: dict[int, list[tuple[int, int]]] = {}
    for y in range(height):
        row = binary[y * width : (y + 1) * width]
        if b"\x01" * 16 not in row:
            continue
        spans = [(m.start(), m.end()) for m in _HORIZONTAL_RE.finditer(row)]
        if spans:
            horizontal[y] = spans
    if not horizontal:
        return pixels
    page = bytearray(pixels)
    white_row = bytes([_WHITE]) * width
    for y, spans in horizontal.items():
        for top in range(max(0, y - MARGIN), min(height, y + MARGIN + 1)):
            for start, end in spans:
                base = top * width
                page[base + start : base + end] = white_row[: end - start]
    top_row, bottom_row = min(horizontal), max(horizontal)
    for x in range(width):
        column = binary[x + top_row * width : (bottom_row + 1) * width : width]
        for match in _VERTICAL_RE.finditer(column):
            start, end = match.start() + top_row, match.end() + top_row
            if not (_meets(horizontal, x, start) or _meets(horizontal, x, end - 1)):
                continue
            for left in range(max(0, x - MARGIN), min(width, x + MARGIN + 1)):
                page[left + start * width : left + end * width : width] = white_row[: end - start]
    return bytes(page)


def _meets(horizontal: dict[int, list[tuple[int, int]]], x: int, y: int) -> bool:
    """Whether a horizontal rule passes within MEET pixels of (x, y)."""
    for row in range(y - MEET, y + MEET + 1):
        for start, end in horizontal.get(row, ()):
            if start - MEET <= x < end + MEET:
                return True
    return False
