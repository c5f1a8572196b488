from django.contrib import admin

from mutualis.core.admin import ReadOnlyAdmin
from mutualis.support import models


@admin.register(
    models.SupportRequest, models.SupportEvent, models.ProviderLink, models.ProviderReview
)
class SupportHistoryAdmin(ReadOnlyAdmin):
    pass
