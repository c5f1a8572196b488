"""CSV and XLSX exports of a campaign's aggregated need, written from the page's own table."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mutualis.core.exports import append_row, csv_writer
from mutualis.purchasing.aggregate import CampaignTable


def campaign_csv(table: CampaignTable) -> bytes:
    """Semicolon-separated UTF-8 with a BOM, as French spreadsheet software expects."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.commune_header())
    writer.writerows(table.commune_rows())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def campaign_xlsx(table: CampaignTable) -> bytes:
    """Two sheets: the need by commune (with totals) and by item."""
    workbook = Workbook()
    by_commune = workbook.active
    by_commune.title = _("Par commune")
    _write(by_commune, table.commune_header(), table.commune_rows())
    by_item = workbook.create_sheet(_("Par article"))
    _write(by_item, table.item_header(), table.item_rows())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(sheet, header: list, rows: list[list]) -> None:
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
