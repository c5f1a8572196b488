"""The information-system knowledge in the HTTP API: inventory, business software, the matrix.
Same rules as the pages: another commune's records answer 404."""

from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from mutualis.accounts import perms
from mutualis.core.api_auth import api_access
from mutualis.inventory.matrix import Usage, build_matrix
from mutualis.inventory.models import Asset, BusinessSoftware

router = Router(tags=["système d'information"])


class AssetOut(Schema):
    id: int
    kind: str
    name: str
    location: str
    owner: str
    operating_system: str
    end_of_support: date | None
    support_status: str
    purchase_date: date | None
    warranty_end: date | None


class SoftwareOut(Schema):
    id: int
    domain: str
    software: str
    vendor: str
    version: str
    contract_end: date | None
    satisfaction: int | None


class MatrixCellOut(Schema):
    software: str
    communes: list[str]
    count: int


class MatrixRowOut(Schema):
    domain: str
    harmonisable: bool
    cells: list[MatrixCellOut]


@router.get("/communes/{insee_code}/assets", response=list[AssetOut])
@api_access(perms.is_signed_in)
def list_assets(request, insee_code: str):
    commune = perms.get_commune_information_system(request.auth, insee_code)
    today = timezone.localdate()
    return [
        {
            "id": a.pk,
            "kind": a.kind,
            "name": a.name,
            "location": a.location,
            "owner": a.owner,
            "operating_system": a.operating_system,
            "end_of_support": a.support_end(),
            "support_status": a.support_status(today),
            "purchase_date": a.purchase_date,
            "warranty_end": a.warranty_end,
        }
        for a in Asset.objects.current().filter(commune=commune)
    ]


@router.get("/communes/{insee_code}/software", response=list[SoftwareOut])
@api_access(perms.is_signed_in)
def list_software(request, insee_code: str):
    commune = perms.get_commune_information_system(request.auth, insee_code)
    return [
        {
            "id": s.pk,
            "domain": s.domain,
            "software": s.software,
            "vendor": s.vendor,
            "version": s.version,
            "contract_end": s.contract_end,
            "satisfaction": s.satisfaction,
        }
        for s in BusinessSoftware.objects.filter(commune=commune)
    ]


@router.get("/software-matrix", response=list[MatrixRowOut])
@api_access(perms.is_staff_member)
def software_matrix(request):
    usages = [
        Usage(s.domain, s.software, s.vendor, s.commune.name, s.satisfaction, s.contract_end)
        for s in BusinessSoftware.objects.select_related("commune")
    ]
    return [
        {
            "domain": row.domain,
            "harmonisable": row.harmonisable,
            "cells": [
                {"software": c.software, "communes": c.communes, "count": c.count}
                for c in row.cells
            ],
        }
        for row in build_matrix(usages)
    ]
