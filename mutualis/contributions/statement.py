"""Read the public accountant's statement of payments received (CSV), no database.

The format (documented in README.md):

    date_paiement;montant;reference;numero_appel;siren_debiteur
    15/01/2025;475,00;TIT-2025-000123;2024-0001;213104029

- separator `;` (a tab or `,` also work; with `,` quote amounts that use a decimal comma),
  UTF-8, with or without BOM, one header line; blank lines are ignored;
- `date_paiement`: JJ/MM/AAAA or AAAA-MM-JJ;
- `montant`: euros, decimal comma or point, at most two decimals, spaces as thousands separators
  and a trailing `€` allowed (`1 141,20 €`);
- `reference`: the accountant's reference of the receipt (required, 100 characters at most);
- `numero_appel`: the call's number (`2024-0001`);
- `siren_debiteur`: optional column; when given, it must be the debtor's SIREN (9 digits).

Every bad row is reported (line and column), not only the first.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REQUIRED = ("date_paiement", "montant", "reference", "numero_appel")
COLUMNS = (*REQUIRED, "siren_debiteur")
_AMOUNT = re.compile(r"^[+-]?\d+(?:[.,]\d{1,2})?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_SIREN = re.compile(r"^\d{9}$")


class StatementError(ValueError):
    """A refused statement: `errors` lists every problem, each naming its line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(
            _("Relevé refusé, rien n'a été enregistré :\n%(errors)s")
            % {"errors": "\n".join(errors)}
        )


@dataclass(frozen=True, slots=True)
class StatementRow:
    line: int
    paid_on: date
    amount: Decimal
    reference: str
    call_number: str
    debtor_siren: str


def parse_amount(text: str) -> Decimal | None:
    cleaned = _SPACES.sub("", text).removesuffix("€")
    if not _AMOUNT.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def parse_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _raw_rows(text: str) -> tuple[list[dict], list[str]]:
    """Rows as dicts with their first physical line number (blank lines keep the count right)."""
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise StatementError(
            [
                _("ligne %(line)s : caractère nul (octet 0) : ce n'est pas un CSV texte.")
                % {"line": line}
            ]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max(";\t,", key=first_line.count) if first_line else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise StatementError(
                [
                    ngettext(
                        "ligne 1 : colonne obligatoire absente : %(columns)s.",
                        "ligne 1 : colonnes obligatoires absentes : %(columns)s.",
                        len(missing),
                    )
                    % {"columns": ", ".join(missing)}
                ]
            )
        unknown = [c for c in header if c not in COLUMNS]
        if unknown:
            raise StatementError(
                [
                    ngettext(
                        "ligne 1 : colonne inconnue : %(columns)s.",
                        "ligne 1 : colonnes inconnues : %(columns)s.",
                        len(unknown),
                    )
                    % {"columns": ", ".join(unknown)}
                ]
            )
        rows, errors = [], []
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                errors.append(
                    _("ligne %(line)s : plus de valeurs que de colonnes.") % {"line": line}
                )
                continue
            cells = {h: v.strip() for h, v in zip(header, values, strict=False)}
            rows.append({"__line__": line, **{c: cells.get(c, "") for c in COLUMNS}})
    except csv.Error:
        raise StatementError(
            [
                _("ligne %(line)s : CSV illisible (guillemet mal fermé ?).")
                % {"line": reader.line_num}
            ]
        ) from None
    return rows, errors


def _line_of(error: str) -> int:
    match = re.match(r"ligne (\d+)", error)
    return int(match.group(1)) if match else 0


def parse_statement(text: str) -> list[StatementRow]:
    raw_rows, errors = _raw_rows(text)
    rows = []
    for raw in raw_rows:
        line = raw["__line__"]
        problems = []
        paid_on = parse_date(raw["date_paiement"])
        if paid_on is None:
            problems.append(
                _(
                    "colonne date_paiement : « %(value)s » n'est pas une date "
                    "(JJ/MM/AAAA ou AAAA-MM-JJ)"
                )
                % {"value": raw["date_paiement"]}
            )
        amount = parse_amount(raw["montant"])
        if amount is None:
            problems.append(
                _(
                    "colonne montant : « %(value)s » n'est pas un montant en euros "
                    "(deux décimales au plus)"
                )
                % {"value": raw["montant"]}
            )
        reference = raw["reference"]
        if not reference:
            problems.append(_("colonne reference : la référence est obligatoire"))
        elif len(reference) > 100:
            problems.append(_("colonne reference : 100 caractères au plus"))
        call_number = raw["numero_appel"]
        if not call_number:
            problems.append(_("colonne numero_appel : le numéro de l'appel est obligatoire"))
        elif len(call_number) > 30:
            problems.append(_("colonne numero_appel : 30 caractères au plus"))
        siren = raw.get("siren_debiteur", "")
        if siren and not _SIREN.match(siren):
            problems.append(
                _("colonne siren_debiteur : « %(value)s » n'est pas un SIREN (9 chiffres)")
                % {"value": siren}
            )
        if problems:
            errors.extend(
                _("ligne %(line)s, %(problem)s.") % {"line": line, "problem": p} for p in problems
            )
            continue
        rows.append(
            StatementRow(
                line=line,
                paid_on=paid_on,
                amount=amount,
                reference=reference,
                call_number=call_number,
                debtor_siren=siren,
            )
        )
    if errors:
        raise StatementError(sorted(errors, key=_line_of))
    if not rows:
        raise StatementError(["Le relevé ne contient aucune ligne de paiement."])
    return rows
