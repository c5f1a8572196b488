from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin, ReadOnlyAdmin
from mutualis.territory.models import Commune, Epci, Population, TerritoryImport


@admin.register(Epci)
class EpciAdmin(NoDeleteAdmin):
    list_display = ["name", "siren", "kind", "is_active"]
    search_fields = ["name", "siren"]


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0
    can_delete = False
    readonly_fields = ["vintage", "total", "municipal", "source"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Commune)
class CommuneAdmin(NoDeleteAdmin):
    list_display = [
        "name",
        "insee_code",
        "epci",
        "population_total",
        "has_it_department",
        "is_active",
    ]
    list_filter = ["has_it_department", "is_active"]
    search_fields = ["name", "insee_code", "siren"]
    list_select_related = ["epci"]
    readonly_fields = ["insee_code", "siren", "population_total", "population_vintage"]
    raw_id_fields = ["epci"]
    inlines = [PopulationInline]


@admin.register(TerritoryImport)
class TerritoryImportAdmin(ReadOnlyAdmin):
    list_display = ["at", "vintage", "scope"]
