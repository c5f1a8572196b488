"""Workflows on programmes: loading a programme file as a new version, opening it, assigning its
staff, recording participation."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.core.french import de_name
from mutualis.programme.models import (
    Participation,
    Programme,
    ProgrammeVersion,
    StaffAssignment,
    Status,
)
from mutualis.programme.schema import parse_programme
from mutualis.programme.successor import successor_file
from mutualis.territory.models import Epci


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
        programme.name = spec.programme.name
        programme.start, programme.end = spec.programme.start, spec.programme.end
        programme.current_sha256 = digest
        if spec.programme.predecessor:
            programme.predecessor = Programme.objects.filter(
                slug=spec.programme.predecessor
            ).first()
        programme.save(update_fields=["name", "start", "end", "current_sha256", "predecessor"])
        programme.epcis.set(Epci.objects.filter(siren__in=spec.programme.epci_sirens))
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


def shipped_programme() -> Programme:
    """The programme of the file the instance ships (MUTUALIS_DEFAULT_PROGRAMME_FILE): the demo's."""
    path = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE
    slug = parse_programme(path.read_text(encoding="utf-8"), source=path.name).programme.slug
    return Programme.objects.get(slug=slug)


class ProgrammeRefused(ValueError):
    """A programme step refused; the message says why, in French."""


def prepare_successor(
    *,
    programme: Programme,
    slug: str,
    name: str,
    start,
    end,
    by,
    free_exit_date=None,
) -> LoadResult:
    """The successor's file, copied from the programme's current one with its own slug, name and
    dates, loaded as a draft for the coordinator to adjust (rates, capacity…) and then open.

    Raises ProgrammeRefused when the slug is taken, ProgrammeFileError when the file is wrong.
    """
    if Programme.objects.filter(slug=slug).exists():
        raise ProgrammeRefused(
            _("L'identifiant %(slug)s est déjà celui d'un programme.") % {"slug": slug}
        )
    if start <= programme.spec.programme.start:
        raise ProgrammeRefused(
            _("Le programme suivant doit commencer après le début de %(programme)s.")
            % {"programme": programme.slug}
        )
    text = successor_file(
        programme.spec_version.content,
        slug=slug,
        name=name,
        start=start,
        end=end,
        free_exit_date=free_exit_date,
    )
    with transaction.atomic():
        result = load_programme(text=text, source=f"{slug}.toml", by=by)
        successor = result.version.programme
        for assignment in programme.staff_assignments.select_related("user"):
            assign_staff(user=assignment.user, programme=successor, by=by)
        audit.record(
            action="programme.successor_prepared",
            obj=successor,
            by=by,
            summary=_("Programme %(successor)s préparé pour succéder à %(programme)s")
            % {"successor": slug, "programme": programme.slug},
        )
    return result


def open_programme(*, programme: Programme, by, on=None) -> Programme:
    """The coordinator's decision that a draft programme takes applications: from then on its
    dates make it open, running, then ended."""
    if programme.opened_at is not None:
        raise ProgrammeRefused(
            _("Le programme %(programme)s est déjà ouvert.") % {"programme": programme.slug}
        )
    programme.opened_at = on or timezone.now()
    programme.opened_by = by if getattr(by, "pk", None) else None
    programme.save(update_fields=["opened_at", "opened_by"])
    audit.record(
        action="programme.opened",
        obj=programme,
        by=by,
        summary=_("Programme %(programme)s ouvert (%(status)s)")
        % {"programme": programme.slug, "status": Status(programme.status()).label},
    )
    return programme


def assign_staff(*, user, programme: Programme, by) -> StaffAssignment:
    """Let an intercommunal staff member serve a programme (and see its territory's communes)."""
    assignment, created = StaffAssignment.objects.get_or_create(
        user=user,
        programme=programme,
        defaults={"assigned_by": by if getattr(by, "pk", None) else None},
    )
    if created:
        audit.record(
            action="programme.staff_assigned",
            obj=assignment,
            by=by,
            summary=_("%(user)s affecté au programme %(programme)s")
            % {"user": user, "programme": programme.slug},
        )
    return assignment


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
