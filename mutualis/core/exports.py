"""Spreadsheet-safe CSV and XLSX rows: text typed by users never runs as a formula.

Every CSV or XLSX export writes its rows through `csv_writer` or `append_row`. A text value that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with an apostrophe
(OWASP's rule against CSV injection), so that a spreadsheet shows it as text instead of running
`=HYPERLINK(...)`; numbers, decimals, dates and booleans stay what they are. In XLSX, text cells are
written with the string type (never a formula), without the control characters the format forbids.
"""

import csv
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_KEPT_TYPES = (bool, int, float, Decimal, date, datetime, time)


def safe_cell(value):
    """The value ready for a spreadsheet cell: None, numbers and dates as they are; anything else
    as text, prefixed with `'` when it starts with a formula trigger."""
    if value is None or isinstance(value, _KEPT_TYPES):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class SafeCsvWriter:
    """A `csv.writer` whose cells go through `safe_cell`, then `cell` for non-text values (a
    French date or decimal format, say); what `cell` returns is written as it is."""

    def __init__(self, stream, *, cell=None, **options) -> None:
        self._writer = csv.writer(stream, **options)
        self._cell = cell

    def _row(self, row) -> list:
        cells = [safe_cell(value) for value in row]
        if self._cell is None:
            return cells
        return [c if isinstance(c, str) else self._cell(c) for c in cells]

    def writerow(self, row):
        return self._writer.writerow(self._row(row))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, *, cell=None, **options) -> SafeCsvWriter:
    """`csv.writer(stream, **options)` for exports: see `SafeCsvWriter`."""
    return SafeCsvWriter(stream, cell=cell, **options)


def _legal(value) -> str:
    # Removed before the trigger check, so that "\x01=..." cannot become a formula.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def append_row(sheet, row) -> None:
    """Append a row to an openpyxl worksheet: text cells typed as strings, never formulas."""
    values = [
        safe_cell(value if isinstance(value, _KEPT_TYPES) or value is None else _legal(value))
        for value in row
    ]
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
