"""Back-office views of the awareness records: read-only or never deleted."""

from django.contrib import admin

from mutualis.awareness.models import (
    Attestation,
    AwarenessModule,
    Campaign,
    ModuleVersion,
    OnsiteSession,
    Progress,
    QuizAttempt,
)
from mutualis.core.admin import NoDeleteAdmin, ReadOnlyAdmin


@admin.register(AwarenessModule)
class AwarenessModuleAdmin(ReadOnlyAdmin):
    list_display = ["slug", "title", "order", "current_version"]


@admin.register(ModuleVersion)
class ModuleVersionAdmin(ReadOnlyAdmin):
    list_display = ["module", "version", "loaded_at", "content_hash"]
    exclude = ["text"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = ["user", "module_version", "commune", "best_percentage", "passed_at"]
    list_select_related = ["user", "module_version__module", "commune"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyAdmin):
    list_display = ["progress", "submitted_at", "percentage", "passed"]


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin):
    list_display = ["number", "full_name", "commune", "module_version", "percentage", "issued_at"]
    search_fields = ["number", "full_name"]


@admin.register(Campaign)
class CampaignAdmin(NoDeleteAdmin):
    list_display = ["title", "scope", "commune", "due_date", "cancelled_at"]


@admin.register(OnsiteSession)
class OnsiteSessionAdmin(NoDeleteAdmin):
    list_display = ["title", "commune", "starts_at", "attendance_recorded_at", "cancelled_at"]
