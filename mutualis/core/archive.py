"""A commune's archive, as parts: each app gives the files it holds about one commune.

An app's part is a function `commune_archive(commune) -> list[ArchiveFile]` in its own
`archive.py`, listed in `mutualis.operations.archive.ARCHIVE_PARTS`. Records go as CSV (one file
per kind of record, French headers) or JSON; documents as the stored files themselves
(`ArchiveFile.from_field_file`). This module also gives the audit trail's part.
"""

import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from mutualis.core.exports import csv_writer
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

    @classmethod
    def from_storage(cls, path: str, name: str, description: str) -> "ArchiveFile":
        """A stored file known by its storage name (a CharField rather than a FileField)."""
        with default_storage.open(name, "rb") as handle:
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
    writer = csv_writer(buffer, cell=_cell)
    writer.writerow(header)
    writer.writerows(rows)
    return ArchiveFile(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"), description)


def json_file(path: str, data, description: str) -> ArchiveFile:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_cell)
    return ArchiveFile(path, text.encode("utf-8"), description)


# Fields never written to an archive: derived copies (search index, rendered HTML) and documents
# stored in the row itself, which go into the archive as files of their own.
SKIPPED_FIELDS = {"search_text", "body_html"}


def _record_cell(record, field):
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.name)
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, default=_cell)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if field.is_relation:
        return "" if value is None else str(value)
    return value


def records_csv(
    path: str, queryset: models.QuerySet, description: str, *, exclude: Iterable[str] = ()
) -> ArchiveFile:
    """Every stored field of the queryset's records, one column each, headed by its French name.

    Choices are written as their label, related records by their name, JSON as JSON text; binary
    fields (documents kept in the row) are left out: give them with `document_files`.
    """
    skipped = SKIPPED_FIELDS | set(exclude)
    fields = [
        f
        for f in queryset.model._meta.concrete_fields
        if f.name not in skipped and not isinstance(f, models.BinaryField)
    ]
    related = [f.name for f in fields if f.is_relation]
    header = ["n°" if f.primary_key else str(f.verbose_name) for f in fields]
    rows = (
        [_record_cell(record, f) for f in fields]
        for record in queryset.select_related(*related).order_by("pk").iterator(chunk_size=500)
    )
    return csv_file(path, header, rows, description)


def safe_name(name: str, fallback: str = "fichier") -> str:
    """A file name safe inside an archive: no folders, no control or reserved characters."""
    name = PurePosixPath(name.replace("\\", "/")).name
    name = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "_", name).strip(" .")
    return name[:150] or fallback


def stored_files(
    folder: str, records: Iterable, *, field: str, name, description: str
) -> list[ArchiveFile]:
    """The stored file of each record as `<folder>/<record id>-<name>`; a missing file is skipped.

    `field` holds a FileField or a storage name; `name(record)` gives the file's own name.
    """
    files = []
    for record in records:
        value = getattr(record, field)
        if not value:
            continue
        path = f"{folder}/{record.pk}-{safe_name(name(record))}"
        try:
            if isinstance(value, str):
                files.append(ArchiveFile.from_storage(path, value, description))
            else:
                files.append(ArchiveFile.from_field_file(path, value, description))
        except FileNotFoundError:
            continue  # the record's row says the file is gone; its CSV line still lists it
    return files


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
