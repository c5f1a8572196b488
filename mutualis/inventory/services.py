"""Inventory workflows: import a CSV all or nothing, add, change and retire equipment."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core import audit
from mutualis.core.french import de_name
from mutualis.inventory.csv_import import InventoryRow
from mutualis.inventory.models import Asset, BusinessSoftware


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


IMPORTED_FIELDS = (
    "location",
    "owner",
    "operating_system",
    "purchase_date",
    "warranty_end",
    "serial",
    "notes",
)


def _import_key(kind: str, name: str, serial: str) -> tuple:
    """What identifies one piece of equipment across imports: its serial number where it has
    one, else its name (case and spaces aside)."""
    return (kind, "serial", serial.strip()) if serial.strip() else (kind, "name", name.casefold())


def import_inventory(*, commune, rows: list[InventoryRow], by) -> ImportResult:
    """Merge the rows into the commune's inventory in one transaction (the parser already refused
    any bad row, so nothing partial can be written). Idempotent: a row matching equipment in
    service (same serial number, or same kind and name) updates it only where it differs, so
    importing the file the app itself exports changes nothing."""
    with transaction.atomic():
        existing = {
            _import_key(a.kind, a.name, a.serial): a
            for a in Asset.objects.current().select_for_update().filter(commune=commune)
        }
        added, updated, unchanged = [], [], 0
        for row in rows:
            asset = existing.get(_import_key(row.kind, row.name, row.serial))
            if asset is None:
                asset = Asset(commune=commune, kind=row.kind, name=row.name)
                for field in IMPORTED_FIELDS:
                    setattr(asset, field, getattr(row, field))
                added.append(asset)
                existing[_import_key(row.kind, row.name, row.serial)] = asset
                continue
            changed = [f for f in IMPORTED_FIELDS if getattr(asset, f) != getattr(row, f)]
            if asset.name != row.name:
                changed.append("name")
            if not changed:
                unchanged += 1
                continue
            for field in changed:
                setattr(asset, field, getattr(row, field))
            if asset.pk is not None and asset not in updated:
                updated.append(asset)
        Asset.objects.bulk_create(added)
        for asset in updated:
            asset.save()
        result = ImportResult(added=len(added), updated=len(updated), unchanged=unchanged)
        if added or updated:
            audit.record(
                action="inventory.imported",
                obj=commune,
                by=by,
                summary=ngettext(
                    "Inventaire %(of_commune)s : %(added)s équipement ajouté, "
                    "%(updated)s mis à jour, %(unchanged)s inchangés",
                    "Inventaire %(of_commune)s : %(added)s équipements ajoutés, "
                    "%(updated)s mis à jour, %(unchanged)s inchangés",
                    result.added,
                )
                % {
                    "of_commune": de_name(commune.name),
                    "added": result.added,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
                commune_insee=commune.insee_code,
            )
    return result


def save_asset(*, asset: Asset, by) -> Asset:
    created = asset.pk is None
    asset.save()
    audit.record(
        action="inventory.asset_added" if created else "inventory.asset_changed",
        obj=asset,
        by=by,
        summary=_("%(asset)s (%(commune)s)") % {"asset": asset, "commune": asset.commune.name},
        commune_insee=asset.commune.insee_code,
    )
    return asset


def retire_asset(*, asset: Asset, by, reason: str) -> Asset:
    asset.retired_at = timezone.now()
    asset.retired_by = by
    asset.retire_reason = reason
    asset.save(update_fields=["retired_at", "retired_by", "retire_reason"])
    audit.record(
        action="inventory.asset_retired",
        obj=asset,
        by=by,
        summary=_("%(asset)s retiré de l'inventaire %(of_commune)s")
        % {"asset": asset, "of_commune": de_name(asset.commune.name)},
        commune_insee=asset.commune.insee_code,
        reason=reason,
    )
    return asset


def save_software(*, software: BusinessSoftware, by) -> BusinessSoftware:
    created = software.pk is None
    software.save()
    audit.record(
        action="inventory.software_added" if created else "inventory.software_changed",
        obj=software,
        by=by,
        summary=_("%(software)s (%(commune)s)")
        % {"software": software, "commune": software.commune.name},
        commune_insee=software.commune.insee_code,
    )
    return software
