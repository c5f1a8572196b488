"""A commune's archive, as parts: each app gives the files it holds about one commune.

An app's part is a function `commune_archive(commune) -> list[ArchiveFile]` in its own
`archive.py`, listed in `mutualis.operations.archive.ARCHIVE_PARTS`. Records go as CSV (one file
per kind of record, French headers) or JSON; documents as the stored files themselves
(`ArchiveFile.from_field_file`). This module also gives the audit trail's part.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from mutualis.core.models import AuditEvent


@dataclass(frozen=True)
class ArchiveFile:
    path: str  # inside the archive, e.g. "adhesions/adhesions.csv"
    content: bytes
    description: str  # one French line for the archive's index

    @classmethod
    def from_field_file(cls, path: str, field_file, description: str) -> "ArchiveFile":
        with field_file.open("rb") as handle:
            return cls(path, handle.read(), description)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def csv_file(
    path: str, header: Sequence[str], rows: Iterable[Sequence], description: str
) -> ArchiveFile:
    """A UTF-8 CSV (with BOM, so spreadsheet software reads the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ArchiveFile(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"), description)


def json_file(path: str, data, description: str) -> ArchiveFile:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_cell)
    return ArchiveFile(path, text.encode("utf-8"), description)


def commune_archive(commune) -> list[ArchiveFile]:
    """The audit trail: every recorded action about the commune."""
    events = AuditEvent.objects.for_commune(commune.insee_code).select_related("actor")
    return [
        csv_file(
            "journal/evenements.csv",
            ["date", "auteur", "action", "objet", "identifiant", "résumé", "motif"],
            (
                (e.at, e.actor or "", e.action, e.object_type, e.object_id, e.summary, e.reason)
                for e in events.order_by("at", "id").iterator()
            ),
            "Journal des actions enregistrées concernant la commune (qui, quand, pourquoi)",
        )
    ]
