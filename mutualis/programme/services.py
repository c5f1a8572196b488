"""Workflows on programmes: loading a programme file as a new version, recording participation."""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.core.french import de_name
from mutualis.programme.models import Participation, Programme, ProgrammeVersion
from mutualis.programme.schema import parse_programme


@dataclass(frozen=True)
class LoadResult:
    version: ProgrammeVersion
    created: bool


def load_programme(*, text: str, source: str, by=None) -> LoadResult:
    """Validate a programme file and store it; an unchanged file adds nothing.

    Raises ProgrammeFileError (nothing stored) when the file is wrong.
    """
    spec = parse_programme(text, source=source)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        programme, _created = Programme.objects.get_or_create(
            slug=spec.programme.slug, defaults={"name": spec.programme.name}
        )
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        latest = programme.current_version()
        if latest is not None and latest.sha256 == digest:
            return LoadResult(version=latest, created=False)
        if programme.name != spec.programme.name:
            programme.name = spec.programme.name
            programme.save(update_fields=["name"])
        version = ProgrammeVersion.objects.create(
            programme=programme,
            number=(latest.number + 1) if latest else 1,
            content=text,
            sha256=digest,
            source_name=source[:300],
            loaded_by=by if getattr(by, "pk", None) else None,
        )
        audit.record(
            action="programme.version_loaded",
            obj=version,
            by=by,
            summary=_("Programme %(programme)s : version %(number)s chargée")
            % {"programme": programme.slug, "number": version.number},
        )
    return LoadResult(version=version, created=True)


def set_participation(
    *, programme: Programme, commune, co_construction: bool, commitment_letter_date, by
) -> Participation:
    participation, _created = Participation.objects.get_or_create(
        programme=programme, commune=commune
    )
    before = (participation.co_construction, participation.commitment_letter_date)
    after = (co_construction, commitment_letter_date)
    if before != after:
        participation.co_construction = co_construction
        participation.commitment_letter_date = commitment_letter_date
        participation.save()
        audit.record(
            action="programme.participation_changed",
            obj=participation,
            by=by,
            summary=_("Participation %(of_commune)s au programme %(programme)s modifiée")
            % {"of_commune": de_name(commune.name), "programme": programme.slug},
            commune_insee=commune.insee_code,
            changes={"avant": [str(v) for v in before], "après": [str(v) for v in after]},
        )
    return participation


def import_participations(*, programme: Programme, rows: list, by) -> int:
    """Apply participation rows in one transaction; an unknown commune refuses the whole file."""
    from mutualis.territory.attributes import CsvFormatError
    from mutualis.territory.models import Commune

    communes = Commune.objects.in_bulk([r.insee_code for r in rows], field_name="insee_code")
    with transaction.atomic():
        for row in rows:
            commune = communes.get(row.insee_code)
            if commune is None:
                raise CsvFormatError(
                    _(
                        "ligne %(line)s, colonne insee_code : la commune %(code)s n'est pas dans "
                        "le territoire chargé."
                    )
                    % {"line": row.line, "code": row.insee_code}
                )
            set_participation(
                programme=programme,
                commune=commune,
                co_construction=row.co_construction,
                commitment_letter_date=row.commitment_letter_date,
                by=by,
            )
    return len(rows)
