"""Choices of the purchasing app, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    FRAMEWORK = "framework", _("Accord-cadre")
    GROUP = "group", _("Groupement de commandes")
    CENTRAL = "central", _("Centrale d'achat")


class JoinStatus(models.TextChoices):
    REQUESTED = "requested", _("Demande envoyée")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée par la commune")


OPEN_JOIN = frozenset({JoinStatus.REQUESTED})


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Clôturée")


class Category(models.TextChoices):
    WORKSTATIONS = "workstations", _("Postes de travail et périphériques")
    SERVERS = "servers", _("Serveurs et stockage")
    BACKUP = "backup", _("Sauvegarde")
    NETWORK = "network", _("Réseau et téléphonie")
    SECURITY = "security", _("Sécurité")
    SOFTWARE = "software", _("Logiciels métiers")
    SERVICES = "services", _("Prestations et maintenance")
    OTHER = "other", _("Autre")


class Priority(models.IntegerChoices):
    HIGH = 1, _("Haute")
    MEDIUM = 2, _("Moyenne")
    LOW = 3, _("Basse")


class RoadmapStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    DONE = "done", _("Réalisé")
    CANCELLED = "cancelled", _("Abandonné")


class Renewal(models.TextChoices):
    NONE = "none", _("Sans reconduction")
    TACIT = "tacit", _("Reconduction tacite")
    EXPRESS = "express", _("Reconduction expresse")


class AmountBasis(models.TextChoices):
    YEARLY = "yearly", _("par an")
    TOTAL = "total", _("sur la durée")
