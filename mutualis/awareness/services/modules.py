"""Loading the module files into stored, never edited module versions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from mutualis.awareness import content
from mutualis.awareness.models import AwarenessModule, ModuleVersion
from mutualis.core import audit

# --- Loading module files --------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[ModuleVersion] = field(default_factory=list)
    unchanged: list[ModuleVersion] = field(default_factory=list)


def load_module_files(*, directory: str | Path, by=None, progress=None) -> LoadReport:
    """Validate every module file of a directory, then store new versions in one transaction.

    Raises :class:`content.ModuleError` (file, line, problem) and writes nothing when any file
    is wrong, or when a file keeps a stored version number with a different content.
    """
    modules = content.load_modules(directory)
    texts = {m.slug: Path(m.source).read_text(encoding="utf-8") for m in modules}
    report = LoadReport()
    with transaction.atomic():
        for index, module in enumerate(modules, start=1):
            version, created = _store_version(module, texts[module.slug], by)
            (report.created if created else report.unchanged).append(version)
            if progress:
                progress("modules", index, len(modules))
    return report


def _version_line(path: str) -> int:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("version:"):
            return number
    return 1


def _store_version(module: content.Module, text: str, by) -> tuple[ModuleVersion, bool]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    record, _created = AwarenessModule.objects.select_for_update().get_or_create(
        slug=module.slug, defaults={"title": module.title, "order": module.order}
    )
    existing = ModuleVersion.objects.filter(module=record, version=module.version).first()
    if existing is not None:
        if existing.content_hash == digest:
            return existing, False
        problem = _(
            "la version %(version)s du module « %(slug)s » est déjà chargée avec un autre "
            "contenu : augmentez « version » dans l'en-tête"
        ) % {"version": module.version, "slug": module.slug}
        raise content.ModuleError(module.source, [(_version_line(module.source), problem)])
    latest = record.current_version
    if latest is not None and latest.version > module.version:
        problem = _(
            "la version %(version)s est plus ancienne que la version %(latest)s déjà chargée"
        ) % {"version": module.version, "latest": latest.version}
        raise content.ModuleError(module.source, [(_version_line(module.source), problem)])
    version = ModuleVersion.objects.create(
        module=record,
        version=module.version,
        content_hash=digest,
        text=text,
        source_name=Path(module.source).name,
        title=module.title,
        summary=module.summary,
        duration_minutes=module.duration_minutes,
        pass_mark=module.pass_mark,
        loaded_by=by if getattr(by, "pk", None) else None,
    )
    record.current_version = version
    record.title = module.title
    record.order = module.order
    record.save(update_fields=["current_version", "title", "order"])
    audit.record(
        action="awareness.module_loaded",
        obj=version,
        by=by,
        summary=_("Module %(module)s : version %(version)s chargée")
        % {"module": module.slug, "version": module.version},
    )
    return version, True
