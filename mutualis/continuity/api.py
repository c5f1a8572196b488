"""Crisis and continuity in the HTTP API. Same rules as the pages: another commune answers 404."""

from datetime import date, datetime

from ninja import Router, Schema

from mutualis.accounts import perms
from mutualis.continuity import backup_rule
from mutualis.continuity.models import BackupStudy
from mutualis.core.api_auth import api_access

router = Router(tags=["continuité"])


class ContactOut(Schema):
    name: str
    function: str
    call_for: str
    phone: str


class ActivityOut(Schema):
    name: str
    tolerated_downtime_hours: int


class CheckOut(Schema):
    code: str
    passed: bool
    message: str


class ToolOut(Schema):
    category: str
    product: str
    covered: int
    total: int


class LogOut(Schema):
    id: int
    title: str
    opened_at: datetime
    closed_at: datetime | None


class ContinuityOut(Schema):
    insee_code: str
    contacts: list[ContactOut]
    essential_activities: list[ActivityOut]
    plan_version: int | None
    exercises: list[date]
    crisis_logs: list[LogOut]
    backup_checks: list[CheckOut]
    security_tools: list[ToolOut]


@router.get("/communes/{insee_code}", response=ContinuityOut)
@api_access(perms.is_signed_in)
def commune_continuity(request, insee_code: str):
    commune = perms.get_commune_information_system(request.auth, insee_code)
    study = BackupStudy.objects.filter(commune=commune).first()
    copies = (
        [
            backup_rule.Copy(c.name, c.medium, c.frequency_days, c.offsite, c.offline)
            for c in study.copies.all()
        ]
        if study
        else []
    )
    plan = commune.continuity_plans.order_by("-version").first()
    return {
        "insee_code": commune.insee_code,
        "contacts": list(commune.crisis_contacts.values("name", "function", "call_for", "phone")),
        "essential_activities": list(
            commune.essential_activities.values("name", "tolerated_downtime_hours")
        ),
        "plan_version": plan.version if plan else None,
        "exercises": list(commune.crisis_exercises.values_list("held_on", flat=True)),
        "crisis_logs": list(commune.crisis_logs.values("id", "title", "opened_at", "closed_at")),
        "backup_checks": [
            {"code": c.code, "passed": c.passed, "message": c.message}
            for c in backup_rule.check_321(copies)
        ],
        "security_tools": list(
            commune.security_tools.values("category", "product", "covered", "total")
        ),
    }
