from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyberConfig(AppConfig):
    name = "mutualis.cyber"
    verbose_name = _("Cybersécurité")
