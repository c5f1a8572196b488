"""Inventory workflows: import a CSV all or nothing, add, change and retire equipment."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutualis.core import audit
from mutualis.core.french import de_name
from mutualis.inventory.csv_import import InventoryRow
from mutualis.inventory.models import Asset, BusinessSoftware


def import_inventory(*, commune, rows: list[InventoryRow], by) -> int:
    """Add every row to the commune's inventory in one transaction (the parser already refused
    any bad row, so nothing partial can be written)."""
    with transaction.atomic():
        Asset.objects.bulk_create(
            Asset(
                commune=commune,
                kind=row.kind,
                name=row.name,
                location=row.location,
                owner=row.owner,
                operating_system=row.operating_system,
                purchase_date=row.purchase_date,
                warranty_end=row.warranty_end,
                serial=row.serial,
                notes=row.notes,
            )
            for row in rows
        )
        audit.record(
            action="inventory.imported",
            obj=commune,
            by=by,
            summary=ngettext(
                "Inventaire %(of_commune)s : %(count)d équipement importé",
                "Inventaire %(of_commune)s : %(count)d équipements importés",
                len(rows),
            )
            % {"of_commune": de_name(commune.name), "count": len(rows)},
            commune_insee=commune.insee_code,
        )
    return len(rows)


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
