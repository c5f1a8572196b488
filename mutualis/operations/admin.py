from django.contrib import admin

from mutualis.core.admin import ReadOnlyAdmin
from mutualis.operations.models import AccountDeactivation, JobState, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    exclude = ["message"]


@admin.register(JobState)
class JobStateAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_success_at", "next_due_at", "run_count", "failure_count"]


@admin.register(AccountDeactivation)
class AccountDeactivationAdmin(ReadOnlyAdmin):
    list_display = ["user", "deactivated_at", "deactivated_by", "erase_after", "erased_at"]
