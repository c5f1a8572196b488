"""The membership part of the HTTP API: memberships, deliberations and conventions (metadata; the
files stay behind the pages' permission-checked views) and the capacity pools. Same rules as pages."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from mutualis.accounts import perms
from mutualis.core.api_auth import api_access
from mutualis.core.collation import french
from mutualis.core.pagination import LimitOffset
from mutualis.membership import capacity, lookups
from mutualis.membership import perms as membership_perms
from mutualis.membership.enums import STATUS_LABELS
from mutualis.programme.selection import programme_for

router = Router(tags=["adhésions"])


class TransitionOut(Schema):
    from_status: str
    to_status: str
    on: date
    at: datetime
    by: str | None
    reason: str
    deliberation_id: int | None

    @staticmethod
    def resolve_by(obj) -> str | None:
        return str(obj.by) if obj.by_id else None


class MembershipOut(Schema):
    id: int
    commune: str
    insee_code: str
    offer_code: str
    status: str
    status_label: str
    applied_on: date | None
    admitted_on: date | None
    estimated_load_days: Decimal | None
    signed_on: date | None
    start_date: date | None
    exit_requested_on: date | None
    effective_exit: date | None

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_insee_code(obj) -> str:
        return obj.commune.insee_code

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(STATUS_LABELS.get(obj.status, obj.status))


class MembershipDetailOut(MembershipOut):
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_transitions(obj):
        return list(obj.transitions.select_related("by"))


class RepresentedOut(Schema):
    member: str
    proxy_holder: str


class FindingOut(Schema):
    code: str
    severity: str
    message: str


class DeliberationOut(Schema):
    id: int
    commune: str
    insee_code: str
    membership_id: int | None
    purpose: str
    number: str
    session_date: date
    convocation_date: date | None
    second_convocation: bool
    president: str
    secretary: str
    members_in_office: int | None
    present: list[str]
    present_count: int | None
    represented: list[RepresentedOut]
    represented_count: int | None
    absent: list[str]
    voters: int | None
    expressed: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstention: int | None
    unanimous: bool
    subject: str
    decisions: str
    publication_date: date | None
    appeal_deadline: date | None
    prefecture_sent_on: date | None
    prefecture_ack_number: str
    enforceable_on: date | None
    has_pdf: bool
    findings: list[FindingOut]

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_insee_code(obj) -> str:
        return obj.commune.insee_code

    @staticmethod
    def resolve_has_pdf(obj) -> bool:
        return bool(obj.pdf)


class AmendmentOut(Schema):
    number: str
    subject: str
    issued_on: date
    signed_on: date | None


class ConventionOut(Schema):
    id: int
    number: str
    membership_id: int
    commune: str
    insee_code: str
    type_code: str
    type_name: str
    issued_on: date
    planned_start: date | None
    signed_on: date | None
    has_signed_copy: bool
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.membership.commune.name

    @staticmethod
    def resolve_insee_code(obj) -> str:
        return obj.membership.commune.insee_code

    @staticmethod
    def resolve_has_signed_copy(obj) -> bool:
        return bool(obj.signed_pdf)

    @staticmethod
    def resolve_amendments(obj):
        return list(obj.amendments.all())


class AdmittedOut(Schema):
    commune: str
    insee_code: str
    status: str
    estimated_load_days: Decimal
    logged_days: Decimal


class QueuedOut(Schema):
    position: int
    membership_id: int
    commune: str
    insee_code: str
    applied_on: date | None
    priority: bool
    estimated_load_days: Decimal
    load_after_admission: Decimal
    fits: bool
    override_reason: str | None


class PoolOut(Schema):
    code: str
    name: str
    offers: list[str]
    capacity_days: Decimal
    used_days: Decimal
    free_days: Decimal
    admitted: list[AdmittedOut]
    queue: list[QueuedOut]


@router.get("/memberships", response=list[MembershipOut])
@api_access(perms.is_signed_in)
@paginate(LimitOffset)
def list_memberships(request, insee_code: str = ""):
    """Memberships the caller may see (staff: every commune; others: their communes)."""
    queryset = lookups.visible_memberships(request.auth).select_related("commune")
    if insee_code:
        queryset = queryset.filter(commune__insee_code=insee_code)
    return queryset.order_by(french("commune__name"), "created_at")


@router.get("/memberships/{membership_id}", response=MembershipDetailOut)
@api_access(perms.is_signed_in)
def get_membership(request, membership_id: int):
    return lookups.membership_for_user(request.auth, membership_id)


@router.get("/deliberations", response=list[DeliberationOut])
@api_access(perms.is_signed_in)
@paginate(LimitOffset)
def list_deliberations(request, insee_code: str = ""):
    queryset = lookups.visible_deliberations(request.auth).select_related("commune")
    if insee_code:
        queryset = queryset.filter(commune__insee_code=insee_code)
    return queryset.order_by("-session_date", "-id")


@router.get("/deliberations/{deliberation_id}", response=DeliberationOut)
@api_access(perms.is_signed_in)
def get_deliberation(request, deliberation_id: int):
    return lookups.deliberation_for_user(request.auth, deliberation_id)


@router.get("/conventions", response=list[ConventionOut])
@api_access(perms.is_signed_in)
@paginate(LimitOffset)
def list_conventions(request):
    return (
        lookups.visible_conventions(request.auth)
        .select_related("membership__commune")
        .prefetch_related("amendments")
        .order_by("number")
    )


@router.get("/conventions/{convention_id}", response=ConventionOut)
@api_access(perms.is_signed_in)
def get_convention(request, convention_id: int):
    return lookups.convention_for_user(request.auth, convention_id)


@router.get("/capacity", response=list[PoolOut])
@api_access(membership_perms.can_follow_admissions)
def get_capacity(request):
    """Each capacity pool: load used and free, admitted communes, the queue in order."""
    programme = programme_for(request, user=request.auth)
    if programme is None:
        return []
    return [
        {
            "code": s.pool.code,
            "name": s.pool.name,
            "offers": s.pool.offers,
            "capacity_days": s.capacity,
            "used_days": s.used,
            "free_days": s.free,
            "admitted": [
                {
                    "commune": a.membership.commune.name,
                    "insee_code": a.membership.commune.insee_code,
                    "status": a.membership.status,
                    "estimated_load_days": a.load,
                    "logged_days": a.logged,
                }
                for a in s.admitted
            ],
            "queue": [
                {
                    "position": e.position,
                    "membership_id": e.membership.pk,
                    "commune": e.membership.commune.name,
                    "insee_code": e.membership.commune.insee_code,
                    "applied_on": e.membership.applied_on,
                    "priority": e.priority,
                    "estimated_load_days": e.load,
                    "load_after_admission": e.load_after,
                    "fits": e.fits,
                    "override_reason": e.override.reason if e.override else None,
                }
                for e in s.queue
            ],
        }
        for s in capacity.pool_states(programme, on=timezone.localdate())
    ]
