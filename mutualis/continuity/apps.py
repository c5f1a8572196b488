from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "mutualis.continuity"
    verbose_name = _("Crise et continuité")
