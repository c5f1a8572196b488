from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin
from mutualis.membership.models import Membership, Transition


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "at", "by", "reason"]

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
        "start_date",
        "effective_exit",
    ]
    inlines = [TransitionInline]
