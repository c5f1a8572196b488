"""API of purchasing: catalogue, campaigns (answers and aggregated need), roadmaps, suppliers,
contracts. Same rules as the pages: another commune's data answers 404."""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from mutualis.accounts import perms
from mutualis.core.api_auth import api_access
from mutualis.programme.selection import of_programme, programme_for
from mutualis.purchasing import services
from mutualis.purchasing.aggregate import campaign_table, roadmap_summary
from mutualis.purchasing.models import (
    AnswerLine,
    Campaign,
    CampaignAnswer,
    Contract,
    NegotiatedOffer,
    RoadmapItem,
    Supplier,
)

router = Router(tags=["achats"])


class SupplierOut(Schema):
    id: int
    name: str
    siret: str
    services: str
    email: str
    phone: str
    website: str
    is_active: bool


class OfferOut(Schema):
    id: int
    title: str
    kind: str
    supplier: str
    description: str
    price: Decimal
    price_unit: str
    conditions: str
    support_included: bool
    maintenance_included: bool
    valid_from: date
    valid_until: date

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supplier.name


class CampaignItemOut(Schema):
    id: int
    label: str
    unit: str
    constraints: str


class CampaignOut(Schema):
    id: int
    title: str
    description: str
    deadline: date
    status: str
    accepting_answers: bool
    items: list[CampaignItemOut]


class AnswerLineIn(Schema):
    item_id: int
    quantity: int
    remark: str = ""


class AnswerIn(Schema):
    lines: list[AnswerLineIn]
    comment: str = ""


class AnswerOut(Schema):
    commune: str
    insee_code: str
    updated_at: datetime | None
    comment: str
    quantities: dict[int, int]


class CampaignSummaryOut(Schema):
    header: list[str]
    by_commune: list[list]
    by_item: list[list]


class RoadmapItemOut(Schema):
    id: int
    year: int
    label: str
    category: str
    estimated_cost: Decimal
    priority: int
    measure_id: str
    status: str


class ContractOut(Schema):
    id: int
    commune: str
    insee_code: str
    subject: str
    supplier: str
    start_date: date
    end_date: date
    current_term_end: date
    notice_months: int
    notice_deadline: date
    notice_alert: bool
    amount: Decimal
    amount_basis: str
    renewal: str
    terminated_on: date | None


@router.get("/offers", response=list[OfferOut])
@api_access(perms.is_signed_in)
def list_offers(request):
    """Offers of the catalogue valid today (shared with every signed-in user)."""
    return NegotiatedOffer.objects.valid_on(timezone.localdate()).select_related("supplier")


@router.get("/suppliers", response=list[SupplierOut])
@api_access(perms.is_signed_in)
def list_suppliers(request):
    return Supplier.objects.active()


def _campaign_out(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "description": campaign.description,
        "deadline": campaign.deadline,
        "status": campaign.status,
        "accepting_answers": campaign.accepts_answers(),
        "items": list(campaign.items.all()),
    }


@router.get("/campaigns", response=list[CampaignOut])
@api_access(perms.is_signed_in)
def list_campaigns(request):
    campaigns = of_programme(Campaign.objects.all(), programme_for(request, user=request.auth))
    return [_campaign_out(c) for c in campaigns.prefetch_related("items")]


@router.get("/campaigns/{campaign_id}/summary", response=CampaignSummaryOut)
@api_access(perms.is_staff_member)
def campaign_summary(request, campaign_id: int):
    """The aggregated need, exactly the rows of the page and the exports."""
    table = campaign_table(
        get_object_or_404(Campaign.objects.visible_to(request.auth), pk=campaign_id)
    )
    return {
        "header": table.commune_header(),
        "by_commune": table.commune_rows(),
        "by_item": table.item_rows(),
    }


def _answer_out(campaign: Campaign, commune) -> dict:
    answer = CampaignAnswer.objects.filter(campaign=campaign, commune=commune).first()
    quantities = (
        dict(AnswerLine.objects.filter(answer=answer).values_list("item_id", "quantity"))
        if answer
        else {}
    )
    return {
        "commune": commune.name,
        "insee_code": commune.insee_code,
        "updated_at": answer.updated_at if answer else None,
        "comment": answer.comment if answer else "",
        "quantities": quantities,
    }


@router.get("/campaigns/{campaign_id}/answers/{insee_code}", response=AnswerOut)
@api_access(perms.is_signed_in)
def get_answer(request, campaign_id: int, insee_code: str):
    commune = perms.get_commune_for_user(request.auth, insee_code)
    return _answer_out(
        get_object_or_404(Campaign.objects.visible_to(request.auth), pk=campaign_id), commune
    )


@router.put("/campaigns/{campaign_id}/answers/{insee_code}", response=AnswerOut)
@api_access(perms.is_commune_member)
def put_answer(request, campaign_id: int, insee_code: str, payload: AnswerIn):
    """Record or update the commune's answer (its managers only); refused after the deadline."""
    commune = perms.get_commune_for_user(request.auth, insee_code)
    if not perms.is_manager_of(request.auth, commune):
        raise HttpError(403, _("Seul un responsable de la commune peut répondre."))
    campaign = get_object_or_404(Campaign.objects.visible_to(request.auth), pk=campaign_id)
    try:
        services.answer_campaign(
            campaign=campaign,
            commune=commune,
            lines=[services.LineInput(x.item_id, x.quantity, x.remark) for x in payload.lines],
            comment=payload.comment,
            by=request.auth,
        )
    except services.Refused as error:
        raise HttpError(409, str(error)) from error
    return _answer_out(campaign, commune)


@router.get("/communes/{insee_code}/roadmap", response=list[RoadmapItemOut])
@api_access(perms.is_signed_in)
def commune_roadmap(request, insee_code: str):
    commune = perms.get_commune_for_user(request.auth, insee_code)
    return RoadmapItem.objects.filter(commune=commune)


@router.get("/roadmaps/summary")
@api_access(perms.is_staff_member)
def roadmaps_summary(request):
    """Programme-wide estimated cost by year and category (cancelled purchases excluded)."""
    summary = roadmap_summary(RoadmapItem.objects.all())
    return {
        "communes": summary.communes,
        "total": str(summary.total),
        "by_year": {str(y): str(v) for y, v in summary.by_year.items()},
        "cells": [
            {"year": y, "category": c, "amount": str(v)}
            for (y, c), v in sorted(summary.cells.items())
        ],
    }


@router.get("/contracts", response=list[ContractOut])
@api_access(perms.is_signed_in)
def list_contracts(request, insee_code: str = ""):
    """Contracts of the communes the caller may see, with their notice deadline and alert flag."""
    contracts = Contract.objects.select_related("commune", "supplier")
    if insee_code:
        contracts = contracts.filter(commune=perms.get_commune_for_user(request.auth, insee_code))
    elif not perms.is_staff_member(request.auth):
        contracts = contracts.filter(commune__in=perms.visible_communes(request.auth))
    today, window = (
        timezone.localdate(),
        services.alert_window_days(programme_for(request, user=request.auth)),
    )
    out = []
    for c in contracts:
        term = c.term(today)
        out.append(
            {
                "id": c.pk,
                "commune": c.commune.name,
                "insee_code": c.commune.insee_code,
                "subject": c.subject,
                "supplier": c.supplier.name,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "current_term_end": term.end,
                "notice_months": c.notice_months,
                "notice_deadline": term.notice_deadline,
                "notice_alert": c.notice_alert(today, window),
                "amount": c.amount,
                "amount_basis": c.amount_basis,
                "renewal": c.renewal,
                "terminated_on": c.terminated_on,
            }
        )
    return out
