from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mutualis.accounts.models import ApiToken, CommuneRole, Invitation, User
from mutualis.core.admin import NoDeleteAdmin


class CommuneRoleInline(admin.TabularInline):
    model = CommuneRole
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["commune", "role", "granted_at", "ended_at", "end_reason"]
    raw_id_fields = ["commune"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are deactivated, never deleted: documents and the audit trail refer to them."""

    fieldsets = (*BaseUserAdmin.fieldsets, (_("Mutualis"), {"fields": ("staff_role",)}))
    list_display = ["username", "get_full_name", "email", "staff_role", "is_active"]
    list_filter = ["staff_role", "is_active"]
    inlines = [CommuneRoleInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(NoDeleteAdmin):
    list_display = ["email", "staff_role", "commune", "commune_role", "created_at", "accepted_at"]
    readonly_fields = ["token"]


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash"]
