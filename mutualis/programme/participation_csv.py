"""Read the participation CSV (co-construction, commitment-letter date), no database."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from mutualis.territory.attributes import CsvFormatError, parse_bool, read_csv_rows
from mutualis.territory.etalab import INSEE_RE

COLUMNS = ("insee_code", "co_construction", "commitment_letter_date")


@dataclass(frozen=True, slots=True)
class ParticipationRow:
    line: int
    insee_code: str
    co_construction: bool
    commitment_letter_date: date | None


def parse_participations(text: str) -> list[ParticipationRow]:
    rows = read_csv_rows(text, required=COLUMNS, known=COLUMNS)
    result, seen = [], set()
    for row in rows:
        line, code = row["__line__"], row["insee_code"]
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
        letter = None
        if row["commitment_letter_date"]:
            try:
                letter = date.fromisoformat(row["commitment_letter_date"])
            except ValueError:
                raise CsvFormatError(
                    _(
                        "ligne %(line)s, colonne commitment_letter_date : « %(value)s » n'est pas "
                        "une date AAAA-MM-JJ."
                    )
                    % {"line": line, "value": row["commitment_letter_date"]}
                ) from None
        result.append(
            ParticipationRow(
                line=line,
                insee_code=code,
                co_construction=parse_bool(
                    row["co_construction"], line=line, column="co_construction"
                ),
                commitment_letter_date=letter,
            )
        )
    return result
