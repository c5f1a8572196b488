from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin, ReadOnlyAdmin
from mutualis.purchasing import models


@admin.register(models.Supplier)
class SupplierAdmin(NoDeleteAdmin):
    list_display = ["name", "siret", "is_active"]
    search_fields = ["name", "siret"]


@admin.register(models.NegotiatedOffer)
class OfferAdmin(NoDeleteAdmin):
    list_display = ["title", "kind", "supplier", "valid_from", "valid_until", "withdrawn_at"]


@admin.register(models.Campaign)
class CampaignAdmin(NoDeleteAdmin):
    list_display = ["title", "deadline", "status"]


@admin.register(models.Contract)
class ContractAdmin(NoDeleteAdmin):
    list_display = ["subject", "commune", "supplier", "end_date", "terminated_on"]


@admin.register(models.JoinRequest, models.CampaignAnswer, models.RoadmapItem, models.ContractAlert)
class HistoryAdmin(ReadOnlyAdmin):
    pass
