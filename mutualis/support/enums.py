"""Choices of the support app, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INCIDENT = "incident", _("Incident (panne, dysfonctionnement)")
    SECURITY = "security", _("Sécurité (message suspect, virus, fuite)")
    SERVICE = "service", _("Demande de service (installation, accès, compte)")
    SOFTWARE = "software", _("Logiciel métier")
    PURCHASING = "purchasing", _("Question sur les achats")
    PLATFORM = "platform", _("Question sur la plateforme Mutualis")


# Communes in the base offer alone may ask the intercommunal team about these only.
BASE_CATEGORIES = frozenset({Category.PURCHASING, Category.PLATFORM})


class Urgency(models.TextChoices):
    CRITICAL = "critical", _("Critique (service arrêté)")
    HIGH = "high", _("Haute")
    NORMAL = "normal", _("Normale")
    LOW = "low", _("Basse")


class Status(models.TextChoices):
    NEW = "new", _("Nouvelle")
    IN_PROGRESS = "in_progress", _("Prise en charge")
    ESCALATED = "escalated", _("Transmise au prestataire")
    CLOSED = "closed", _("Clôturée")


OPEN_STATUSES = frozenset({Status.NEW, Status.IN_PROGRESS, Status.ESCALATED})


class EventKind(models.TextChoices):
    OPENED = "opened", _("Ouverture")
    MESSAGE = "message", _("Message")
    ANSWER = "answer", _("Réponse du référent")
    ASSIGNED = "assigned", _("Affectation")
    ESCALATED = "escalated", _("Transmission au prestataire")
    CLOSED = "closed", _("Clôture")
    RATED = "rated", _("Évaluation")
