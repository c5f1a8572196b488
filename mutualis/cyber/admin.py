"""Back-office views of the cyber records: read-only, never deleted."""

from django.contrib import admin

from mutualis.core.admin import ReadOnlyAdmin
from mutualis.cyber.models import (
    Diagnostic,
    Evidence,
    FirstAdviceRecord,
    PlanMeasure,
    ReferentialVersion,
)


@admin.register(ReferentialVersion)
class ReferentialVersionAdmin(ReadOnlyAdmin):
    list_display = ["version", "title", "loaded_at", "fingerprint"]


@admin.register(FirstAdviceRecord)
class FirstAdviceAdmin(ReadOnlyAdmin):
    list_display = ["commune", "taken_at", "score"]
    list_select_related = ["commune"]


@admin.register(Diagnostic)
class DiagnosticAdmin(ReadOnlyAdmin):
    list_display = ["commune", "status", "started_at", "completed_at", "overall", "maturity_level"]
    list_filter = ["status"]
    list_select_related = ["commune"]


@admin.register(PlanMeasure)
class PlanMeasureAdmin(ReadOnlyAdmin):
    list_display = ["diagnostic", "measure_id", "status", "due_date"]
    list_select_related = ["diagnostic__commune"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["plan_measure", "original_name", "uploaded_at"]
