"""Accounting exports: a year's calls and credit notes as CSV (`;`, UTF-8 with BOM, decimal comma)
and XLSX (real dates and numbers), with the columns a clerk keys into the finance software."""

import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from mutualis.core.exports import append_row, csv_writer

CALL_COLUMNS = [
    "Numéro",
    "Date",
    "SIREN débiteur",
    "Débiteur",
    "Objet",
    "Début de période",
    "Fin de période",
    "Montant",
    "Échéance",
    "État",
]
CREDIT_NOTE_COLUMNS = [
    "Numéro",
    "Date",
    "Appel",
    "SIREN débiteur",
    "Débiteur",
    "Nature",
    "Motif",
    "Montant",
]

BALANCE_COLUMNS = [
    "Code INSEE",
    "Commune",
    "Appelé",
    "Avoirs",
    "Payé",
    "Reste dû",
    "À rembourser",
    "Dont en retard",
]


def balance_rows(balances: Iterable) -> list[list]:
    return [
        [b.insee_code, b.name, b.called, b.credited, b.paid, b.owed, b.to_refund, b.overdue]
        for b in balances
    ]


def call_rows(calls: Iterable) -> list[list]:
    return [
        [
            c.number,
            c.issued_on,
            c.debtor_siren,
            c.debtor_name,
            c.object_label(),
            c.period_start,
            c.period_end,
            c.amount,
            c.due_on,
            str(c.get_status_display()),
        ]
        for c in calls
    ]


def credit_note_rows(notes: Iterable) -> list[list]:
    return [
        [
            n.number,
            n.issued_on,
            n.call.number,
            n.call.debtor_siren,
            n.call.debtor_name,
            str(n.get_kind_display()),
            n.reason,
            n.amount,
        ]
        for n in notes
    ]


def _csv_cell(value) -> str:
    """A number or date in French (text cells are neutralised by `core.exports`)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return "" if value is None else str(value)


def to_csv(columns: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out, cell=_csv_cell, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, columns: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    append_row(sheet, columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, Decimal | float | int):
                cell.number_format = "#,##0.00"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
