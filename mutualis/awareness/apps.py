from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "mutualis.awareness"
    verbose_name = _("Sensibilisation")
