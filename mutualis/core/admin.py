"""Back-office helpers: records that must never be deleted, and the read-only audit trail."""

from django.contrib import admin

from mutualis.core.models import AuditEvent


class NoDeleteAdmin(admin.ModelAdmin):
    """For records that are superseded or cancelled, never deleted (money, memberships...)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdmin(NoDeleteAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "commune_insee", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "commune_insee", "object_id"]
    list_select_related = ["actor"]
