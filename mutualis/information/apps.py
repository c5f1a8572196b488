from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "mutualis.information"
    verbose_name = _("Information et veille")
