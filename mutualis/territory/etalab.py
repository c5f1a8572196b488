"""Read the Etalab administrative-boundaries JSON files (communes-YYYY, epci-YYYY), no database.

Shape, as published: the communes file lists every commune-like record with a `type`
(`commune-actuelle`, `commune-deleguee`...) and a single municipal `population` of another vintage;
the EPCI file lists each EPCI with its `membres`, and there the legal *population totale* and
*municipale* of each member commune. Real gaps (no SIREN, no population, no EPCI) are data; a wrong
type or a missing identifier is a malformed file, refused with the record and field named.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from mutualis.core.compressed import CompressedTooLarge, read_maybe_gzip

INSEE_RE = re.compile(r"^(\d[\dAB]\d{3})$")
SIREN_RE = re.compile(r"^\d{9}$")
# The whole of France is some tens of MB of JSON, compressed about ten times: a file that
# inflates beyond this, or more than MAX_RATIO times its size, is a bomb or not an Etalab file.
MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_RATIO = 50


class EtalabFormatError(ValueError):
    """A malformed file: the message names the file, the record and the field."""


@dataclass(frozen=True, slots=True)
class CommuneRecord:
    insee_code: str
    name: str
    siren: str
    department: str
    population_municipal: int | None


@dataclass(frozen=True, slots=True)
class MemberRecord:
    insee_code: str
    siren: str
    name: str
    population_total: int | None
    population_municipal: int | None


@dataclass(frozen=True, slots=True)
class EpciRecord:
    siren: str
    name: str
    kind: str
    financing: str
    members: tuple[MemberRecord, ...]


def load_json(path: Path | str) -> Any:
    """Load a .json or .json.gz file; a file that is not JSON is a malformed file."""
    path = Path(path)
    try:
        return json.loads(read_maybe_gzip(path, max_bytes=MAX_JSON_BYTES, max_ratio=MAX_RATIO))
    except FileNotFoundError as exc:
        raise EtalabFormatError(_("%(path)s : fichier introuvable.") % {"path": path}) from exc
    except CompressedTooLarge as exc:
        raise EtalabFormatError(str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise EtalabFormatError(
            _("%(path)s : le fichier n'est pas en UTF-8 (octet invalide en position %(at)s).")
            % {"path": path, "at": exc.start}
        ) from exc
    except json.JSONDecodeError as exc:
        raise EtalabFormatError(
            _(
                "%(path)s : ce n'est pas un fichier JSON lisible (ligne %(line)s, colonne %(column)s)."
            )
            % {"path": path, "line": exc.lineno, "column": exc.colno}
        ) from exc
    except (OSError, EOFError) as exc:
        raise EtalabFormatError(
            _("%(path)s : le fichier n'a pas pu être lu (compression gzip abîmée ou illisible).")
            % {"path": path}
        ) from exc


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a record sits in its file, put into words only when a message needs it: a file has
    tens of thousands of records, and translating each place up front would slow the import."""

    source: str
    index: int
    code: str | None = None
    member: int | None = None

    def __str__(self) -> str:
        params = {"source": self.source, "number": self.index + 1, "code": self.code}
        text = (
            _("%(source)s, enregistrement n° %(number)s (code %(code)s)") % params
            if self.code is not None
            else _("%(source)s, enregistrement n° %(number)s") % params
        )
        if self.member is not None:
            text = _("%(where)s, membre n° %(member)s") % {"where": text, "member": self.member}
        return text


def _where(source: str, index: int, record: Any) -> _Where:
    code = record.get("code") if isinstance(record, dict) else None
    return _Where(source, index, code if isinstance(code, str) else None)


def _str(record: dict, key: str, where: _Where, *, required: bool) -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise EtalabFormatError(
                _("%(where)s : le champ « %(key)s » est absent.") % {"where": where, "key": key}
            )
        return ""
    if not isinstance(value, str):
        raise EtalabFormatError(
            _("%(where)s : le champ « %(key)s » doit être du texte, pas %(type)s.")
            % {"where": where, "key": key, "type": type(value).__name__}
        )
    return value


def _int(record: dict, key: str, where: _Where) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EtalabFormatError(
            _("%(where)s : le champ « %(key)s » doit être un entier positif, pas %(value)s.")
            % {"where": where, "key": key, "value": repr(value)}
        )
    return value


def _insee(record: dict, key: str, where: _Where) -> str:
    code = _str(record, key, where, required=True)
    if not INSEE_RE.match(code):
        raise EtalabFormatError(
            _("%(where)s : le champ « %(key)s » n'est pas un code INSEE (%(code)s).")
            % {"where": where, "key": key, "code": repr(code)}
        )
    return code


def _siren(record: dict, key: str, where: _Where, *, required: bool) -> str:
    siren = _str(record, key, where, required=required)
    if siren and not SIREN_RE.match(siren):
        raise EtalabFormatError(
            _("%(where)s : le champ « %(key)s » n'est pas un SIREN (%(siren)s).")
            % {"where": where, "key": key, "siren": repr(siren)}
        )
    return siren


def parse_communes(data: Any, *, source: str = "communes") -> list[CommuneRecord]:
    """Current communes (type commune-actuelle) of a communes file."""
    if not isinstance(data, list):
        raise EtalabFormatError(
            _("%(source)s : le fichier doit contenir une liste d'enregistrements.")
            % {"source": source}
        )
    records = []
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            raise EtalabFormatError(
                _("%(source)s, enregistrement n° %(number)s : objet attendu.")
                % {"source": source, "number": index + 1}
            )
        where = _where(source, index, record)
        kind = _str(record, "type", where, required=True)
        if kind != "commune-actuelle":
            continue
        records.append(
            CommuneRecord(
                insee_code=_insee(record, "code", where),
                name=_str(record, "nom", where, required=True),
                siren=_siren(record, "siren", where, required=False),
                department=_str(record, "departement", where, required=False),
                population_municipal=_int(record, "population", where),
            )
        )
    return records


def parse_epcis(data: Any, *, source: str = "epci") -> list[EpciRecord]:
    if not isinstance(data, list):
        raise EtalabFormatError(
            _("%(source)s : le fichier doit contenir une liste d'enregistrements.")
            % {"source": source}
        )
    epcis = []
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            raise EtalabFormatError(
                _("%(source)s, enregistrement n° %(number)s : objet attendu.")
                % {"source": source, "number": index + 1}
            )
        where = _where(source, index, record)
        members_raw = record.get("membres")
        if not isinstance(members_raw, list):
            raise EtalabFormatError(
                _("%(where)s : le champ « membres » doit être une liste.") % {"where": where}
            )
        members = []
        for member_index, member in enumerate(members_raw):
            if not isinstance(member, dict):
                raise EtalabFormatError(
                    _("%(where)s, membre n° %(member)s : objet attendu.")
                    % {"where": where, "member": member_index + 1}
                )
            member_where = _Where(where.source, where.index, where.code, member_index + 1)
            members.append(
                MemberRecord(
                    insee_code=_insee(member, "code", member_where),
                    siren=_siren(member, "siren", member_where, required=False),
                    name=_str(member, "nom", member_where, required=False),
                    population_total=_int(member, "populationTotale", member_where),
                    population_municipal=_int(member, "populationMunicipale", member_where),
                )
            )
        epcis.append(
            EpciRecord(
                siren=_siren(record, "code", where, required=True),
                name=_str(record, "nom", where, required=True),
                kind=_str(record, "type", where, required=False),
                financing=_str(record, "modeFinancement", where, required=False),
                members=tuple(members),
            )
        )
    return epcis
