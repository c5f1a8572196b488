"""Spreadsheet-safe exports: text never runs as a formula, numbers and dates stay themselves."""

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mutualis.core.archive import csv_file
from mutualis.core.exports import FORMULA_TRIGGERS, append_row, csv_writer, safe_cell


@given(st.text())
def test_any_text_is_kept_and_nothing_starting_with_a_trigger_survives_unprefixed(text):
    cell = safe_cell(text)
    assert isinstance(cell, str)
    if text.startswith(FORMULA_TRIGGERS):
        assert cell == "'" + text
    else:
        assert cell == text
    assert not cell.startswith(FORMULA_TRIGGERS)


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_round_trips_through_the_csv_writer_as_text(texts):
    buffer = io.StringIO(newline="")
    csv_writer(buffer, delimiter=";").writerow(texts)
    (row,) = csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=";")
    assert row == [safe_cell(t) for t in texts]
    assert not any(cell.startswith(FORMULA_TRIGGERS) for cell in row)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_string_cell_in_xlsx_never_a_formula(text):
    sheet = Workbook().active
    append_row(sheet, [text])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    cell = load_workbook(buffer).active["A1"]
    legal = ILLEGAL_CHARACTERS_RE.sub("", text)
    if legal:
        assert cell.data_type == "s"
        assert not str(cell.value).startswith(FORMULA_TRIGGERS)


def test_numbers_dates_and_decimals_stay_numbers_and_dates():
    values = [-12, Decimal("-3.50"), 2.5, date(2026, 1, 31), None, True]
    assert [safe_cell(v) for v in values] == values
    sheet = Workbook().active
    append_row(sheet, [*values, "=1+1", "-2"])
    types = [c.data_type for c in sheet[1]]
    assert types[:4] == ["n", "n", "n", "d"]
    assert [c.value for c in sheet[1]][-2:] == ["'=1+1", "'-2"]
    assert types[-2:] == ["s", "s"]


def test_a_control_character_cannot_hide_a_formula_in_xlsx():
    sheet = Workbook().active
    append_row(sheet, ["\x01=HYPERLINK(1)"])
    assert sheet["A1"].value == "'=HYPERLINK(1)" and sheet["A1"].data_type == "s"


def test_the_archive_csv_files_neutralise_formulas():
    part = csv_file("a.csv", ["nom"], [["=HYPERLINK(1)"], [date(2026, 1, 2)]], "x")
    rows = list(csv.reader(io.StringIO(part.content.decode("utf-8-sig"))))
    assert rows == [["nom"], ["'=HYPERLINK(1)"], ["2026-01-02"]]
