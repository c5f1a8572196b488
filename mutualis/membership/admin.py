from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin, ReadOnlyAdmin
from mutualis.membership.models import (
    Amendment,
    Convention,
    Deliberation,
    Membership,
    QueueOverride,
    RenewalRefusal,
    ScanReading,
    TimeLog,
    Transition,
)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "on", "at", "by", "reason", "deliberation"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(NoDeleteAdmin):
    """Read here; every change of state goes through the membership services (and pages)."""

    list_display = ["commune", "offer_code", "status", "start_date"]
    list_filter = ["offer_code", "status"]
    list_select_related = ["commune"]
    readonly_fields = [
        "programme",
        "commune",
        "offer_code",
        "status",
        "applied_on",
        "admitted_on",
        "estimated_load_days",
        "signed_on",
        "start_date",
        "exit_requested_on",
        "effective_exit",
    ]
    inlines = [TransitionInline]


@admin.register(Deliberation)
class DeliberationAdmin(NoDeleteAdmin):
    """Corrected here if need be (every field as the document states it); never deleted."""

    list_display = ["commune", "number", "session_date", "subject", "purpose"]
    list_filter = ["purpose"]
    search_fields = ["commune__name", "number", "subject"]
    list_select_related = ["commune"]
    readonly_fields = ["commune", "membership", "pdf", "recorded_at", "recorded_by"]


@admin.register(Convention)
class ConventionAdmin(ReadOnlyAdmin):
    """Issued documents keep their number and content forever."""

    list_display = ["number", "membership", "issued_on", "signed_on"]
    list_select_related = ["membership__commune"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_on", "signed_on"]


@admin.register(QueueOverride)
class QueueOverrideAdmin(ReadOnlyAdmin):
    list_display = ["membership", "position", "by", "at"]


@admin.register(RenewalRefusal)
class RenewalRefusalAdmin(ReadOnlyAdmin):
    """Recorded from the renewal page, never edited nor deleted; a renewal supersedes one."""

    list_display = ["membership", "successor", "recorded_by", "recorded_at", "superseded_by"]


@admin.register(TimeLog)
class TimeLogAdmin(ReadOnlyAdmin):
    list_display = ["commune", "on", "days", "by"]


@admin.register(ScanReading)
class ScanReadingAdmin(ReadOnlyAdmin):
    """Scanned deliberations and their OCR: the job and the cleanup change them, nobody else."""

    list_display = ["created_at", "commune", "filename", "status", "attempts", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["commune"]
