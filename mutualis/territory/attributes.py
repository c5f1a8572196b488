"""Read the commune attributes CSV (IT department, council seats, town hall, mayor), no database."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.territory.etalab import INSEE_RE

COLUMNS = ("insee_code", "has_it_department", "council_seats", "town_hall_address", "mayor_name")
TRUE = {"1", "oui", "true", "vrai", "yes", "o", "x"}
FALSE = {"0", "non", "false", "faux", "no", "n", ""}


class CsvFormatError(ValueError):
    """A bad CSV: the message names the line and the column."""


@dataclass(frozen=True, slots=True)
class CommuneAttributes:
    line: int
    insee_code: str
    has_it_department: bool | None
    council_seats: int | None
    town_hall_address: str | None
    mayor_name: str | None


def read_csv_rows(text: str, *, required: tuple[str, ...], known: tuple[str, ...]) -> list[dict]:
    """Rows of a `;` or `,` separated CSV with a header, checked for required and unknown columns."""
    return read_csv(text, required=required, known=known)[1]


def read_csv(
    text: str, *, required: tuple[str, ...], known: tuple[str, ...] | None
) -> tuple[list[str], list[dict]]:
    """(header, rows) of a CSV; `known=None` accepts any column. Each row carries `__line__`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return _read_rows(text, dialect, required=required, known=known)
    except csv.Error as exc:
        raise CsvFormatError(_("fichier CSV illisible (%(error)s).") % {"error": exc}) from exc


def _read_rows(
    text: str, dialect, *, required: tuple[str, ...], known: tuple[str, ...] | None
) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvFormatError(
            ngettext(
                "ligne 1 : colonne obligatoire absente : %(columns)s.",
                "ligne 1 : colonnes obligatoires absentes : %(columns)s.",
                len(missing),
            )
            % {"columns": ", ".join(missing)}
        )
    unknown = [c for c in header if known is not None and c not in known]
    if unknown:
        raise CsvFormatError(
            ngettext(
                "ligne 1 : colonne inconnue : %(columns)s.",
                "ligne 1 : colonnes inconnues : %(columns)s.",
                len(unknown),
            )
            % {"columns": ", ".join(unknown)}
        )
    rows = []
    line = 2
    for row in reader:
        if None in row:
            raise CsvFormatError(
                _("ligne %(line)s : plus de valeurs que de colonnes.") % {"line": line}
            )
        rows.append(
            {"__line__": line, **{(k or "").strip(): (v or "").strip() for k, v in row.items()}}
        )
        line = reader.line_num + 1
    return header, rows


def parse_bool(value: str, *, line: int, column: str) -> bool:
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise CsvFormatError(
        _("ligne %(line)s, colonne %(column)s : « %(value)s » n'est ni oui ni non.")
        % {"line": line, "column": column, "value": value}
    )


def parse_attributes(text: str) -> list[CommuneAttributes]:
    rows = read_csv_rows(text, required=("insee_code",), known=COLUMNS)
    seen: set[str] = set()
    result = []
    for row in rows:
        line = row["__line__"]
        code = row["insee_code"]
        if not INSEE_RE.match(code):
            raise CsvFormatError(
                _("ligne %(line)s, colonne insee_code : « %(code)s » n'est pas un code INSEE.")
                % {"line": line, "code": code}
            )
        if code in seen:
            raise CsvFormatError(
                _("ligne %(line)s, colonne insee_code : la commune %(code)s est en double.")
                % {"line": line, "code": code}
            )
        seen.add(code)
        seats = None
        if row.get("council_seats"):
            try:
                seats = int(row["council_seats"])
            except ValueError:
                seats = -1
            if not 1 <= seats <= 200:
                raise CsvFormatError(
                    _(
                        "ligne %(line)s, colonne council_seats : « %(value)s » n'est pas un nombre "
                        "de sièges (1 à 200)."
                    )
                    % {"line": line, "value": row["council_seats"]}
                )
        has_dsi = None
        if "has_it_department" in row:
            has_dsi = parse_bool(row["has_it_department"], line=line, column="has_it_department")
        result.append(
            CommuneAttributes(
                line=line,
                insee_code=code,
                has_it_department=has_dsi,
                council_seats=seats,
                town_hall_address=row.get("town_hall_address") or None,
                mayor_name=row.get("mayor_name") or None,
            )
        )
    return result
