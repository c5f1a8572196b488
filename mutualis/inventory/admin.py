from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin
from mutualis.inventory.models import Asset, BusinessSoftware


@admin.register(Asset)
class AssetAdmin(NoDeleteAdmin):
    """Equipment is retired with a reason from the commune's page, never deleted."""

    list_display = ["name", "kind", "commune", "operating_system", "retired_at"]
    list_filter = ["kind"]
    search_fields = ["name", "commune__name"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]


@admin.register(BusinessSoftware)
class BusinessSoftwareAdmin(admin.ModelAdmin):
    list_display = ["software", "domain", "commune", "contract_end", "satisfaction"]
    list_filter = ["domain"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]
