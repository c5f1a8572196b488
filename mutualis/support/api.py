"""API of support: a commune's requests (list, detail, open) and the provider scorecard.
Same rules as the pages: another commune's request answers 404."""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from mutualis.accounts import perms
from mutualis.core.api_auth import api_access
from mutualis.programme.selection import programme_for
from mutualis.support import perms as support_perms
from mutualis.support import services
from mutualis.support.enums import Urgency
from mutualis.support.models import SupportRequest

router = Router(tags=["support"])


class RequestOut(Schema):
    id: int
    commune: str
    insee_code: str
    category: str
    urgency: str
    subject: str
    status: str
    opened_at: datetime
    response_due: datetime | None
    resolution_due: datetime | None
    first_response_at: datetime | None
    closed_at: datetime | None
    response_breached: bool
    resolution_breached: bool
    provider: str | None
    satisfaction: int | None


class RequestDetailOut(RequestOut):
    description: str
    resolution: str
    events: list[dict]


class RequestIn(Schema):
    insee_code: str
    category: str
    urgency: str = Urgency.NORMAL
    subject: str
    description: str


class ScoreOut(Schema):
    supplier_id: int
    supplier: str
    communes: list[str]
    escalations: int
    open_escalations: int
    mean_resolution_working_hours: Decimal | None
    resolved_within_target_percent: int | None
    mean_satisfaction: Decimal | None
    ratings: int


def _out(r: SupportRequest, now) -> dict:
    return {
        "id": r.pk,
        "commune": r.commune.name,
        "insee_code": r.commune.insee_code,
        "category": r.category,
        "urgency": r.urgency,
        "subject": r.subject,
        "status": r.status,
        "opened_at": r.opened_at,
        "response_due": r.response_due,
        "resolution_due": r.resolution_due,
        "first_response_at": r.first_response_at,
        "closed_at": r.closed_at,
        "response_breached": r.response_breached(now),
        "resolution_breached": r.resolution_breached(now),
        "provider": r.provider.name if r.provider_id else None,
        "satisfaction": r.satisfaction,
    }


def _visible(user):
    queryset = SupportRequest.objects.select_related("commune", "provider")
    if perms.is_staff_member(user):
        return queryset
    return queryset.filter(commune__in=perms.visible_communes(user))


@router.get("/requests", response=list[RequestOut])
@api_access(perms.is_signed_in)
def list_requests(request, open_only: bool = False):
    """Requests of the communes the caller may see (every commune for staff)."""
    queryset = _visible(request.auth)
    if open_only:
        queryset = queryset.open()
    now = timezone.now()
    return [_out(r, now) for r in queryset[:500]]


@router.get("/requests/{request_id}", response=RequestDetailOut)
@api_access(perms.is_signed_in)
def get_request(request, request_id: int):
    support = _visible(request.auth).filter(pk=request_id).first()
    if support is None:
        raise Http404
    return {
        **_out(support, timezone.now()),
        "description": support.description,
        "resolution": support.resolution,
        "events": [
            {
                "kind": e.kind,
                "at": e.at.isoformat(),
                "by": str(e.by) if e.by else "",
                "body": e.body,
            }
            for e in support.events.select_related("by")
        ],
    }


@router.post("/requests", response={201: RequestOut})
@api_access(perms.is_signed_in)
def open_request(request, payload: RequestIn):
    commune = perms.get_commune_for_user(request.auth, payload.insee_code)
    if not support_perms.can_open_support_request(request.auth, commune):
        raise Http404
    if payload.urgency not in Urgency.values:
        raise HttpError(
            422, _("Urgence inconnue : %(urgency)s.") % {"urgency": repr(payload.urgency)}
        )
    try:
        support = services.open_request(
            commune=commune,
            by=request.auth,
            category=payload.category,
            urgency=payload.urgency,
            subject=payload.subject,
            description=payload.description,
        )
    except (services.Refused, ValueError) as error:
        raise HttpError(409, str(error)) from error
    return Status(201, _out(support, timezone.now()))


@router.get("/providers/scorecard", response=list[ScoreOut])
@api_access(perms.is_staff_member)
def scorecard(request):
    return [
        {
            "supplier_id": s.supplier.pk,
            "supplier": s.supplier.name,
            "communes": s.communes,
            "escalations": s.escalations,
            "open_escalations": s.open_escalations,
            "mean_resolution_working_hours": s.mean_resolution_hours,
            "resolved_within_target_percent": s.within_target_share,
            "mean_satisfaction": s.mean_satisfaction,
            "ratings": s.ratings,
        }
        for s in services.provider_scorecard(programme=programme_for(request, user=request.auth))
    ]
