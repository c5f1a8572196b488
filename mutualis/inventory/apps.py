from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "mutualis.inventory"
    verbose_name = _("Connaissance du SI")
