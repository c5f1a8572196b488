from django.contrib import admin

from mutualis.contributions.models import (
    Call,
    CreditNote,
    DayEntry,
    Payment,
    PaymentStatement,
    PopulationConfirmation,
)
from mutualis.core.admin import ReadOnlyAdmin


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    """Read only: calls are issued, cancelled and credited through the contributions services."""

    list_display = ["number", "debtor_name", "period_start", "period_end", "amount", "status"]
    list_filter = ["year", "status"]
    search_fields = ["number", "debtor_name"]
    exclude = ["pdf"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "call", "amount", "kind", "issued_on"]
    list_select_related = ["call"]
    exclude = ["pdf"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["call", "amount", "paid_on", "reference", "source"]
    list_select_related = ["call"]


@admin.register(PaymentStatement)
class PaymentStatementAdmin(ReadOnlyAdmin):
    list_display = ["filename", "imported_at", "recorded", "skipped"]


@admin.register(PopulationConfirmation)
class PopulationConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["membership", "period_start", "population", "population_vintage"]


@admin.register(DayEntry)
class DayEntryAdmin(ReadOnlyAdmin):
    list_display = ["commune", "worked_on", "half_days", "service_code", "status"]
    list_filter = ["status"]
