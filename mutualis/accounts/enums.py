"""Roles of the platform, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinateur du programme")
    REFERENT = "referent", _("Référent technique")
    FINANCE = "finance", _("Service financier")
    OBSERVER = "observer", _("Élu observateur")


class CommuneRoleKind(models.TextChoices):
    MANAGER = "manager", _("Responsable communal")
    AGENT = "agent", _("Agent communal")
    IT_AGENT = "it_agent", _("Agent de la DSI communale")
