from django.contrib import admin

from mutualis.core.admin import NoDeleteAdmin, ReadOnlyAdmin
from mutualis.programme.models import Participation, Programme, ProgrammeVersion


@admin.register(Programme)
class ProgrammeAdmin(NoDeleteAdmin):
    list_display = ["name", "slug", "created_at"]


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyAdmin):
    list_display = ["programme", "number", "loaded_at", "loaded_by", "source_name"]


@admin.register(Participation)
class ParticipationAdmin(NoDeleteAdmin):
    list_display = ["commune", "programme", "co_construction", "commitment_letter_date"]
    list_select_related = ["commune", "programme"]
