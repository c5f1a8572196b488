from django.contrib import admin

from mutualis.continuity.models import ContinuityPlan, CrisisLog, LogEntry
from mutualis.core.admin import ReadOnlyAdmin


class LogEntryInline(admin.TabularInline):
    model = LogEntry
    extra = 0
    can_delete = False
    readonly_fields = ["at", "author", "text"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CrisisLog)
class CrisisLogAdmin(ReadOnlyAdmin):
    """A crisis log book is evidence: readable here, written only from the commune's page."""

    list_display = ["title", "commune", "opened_at", "closed_at"]
    inlines = [LogEntryInline]


@admin.register(ContinuityPlan)
class ContinuityPlanAdmin(ReadOnlyAdmin):
    list_display = ["commune", "version", "created_at", "created_by"]
