"""Kinds of information, their states and audiences, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    NEWS = "news", _("Actualité")
    ALERT = "alert", _("Alerte de sécurité")
    TECH_WATCH = "tech_watch", _("Veille technique")
    LEGAL_WATCH = "legal_watch", _("Veille juridique")
    STUDY = "study", _("Étude ou retour d'expérience")


class Severity(models.TextChoices):
    LOW = "low", _("Faible")
    MEDIUM = "medium", _("Moyenne")
    HIGH = "high", _("Élevée")
    CRITICAL = "critical", _("Critique")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    WITHDRAWN = "withdrawn", _("Retirée")


class AudienceKind(models.TextChoices):
    ALL = "all", _("Toutes les communes membres")
    OFFER = "offer", _("Les communes d'une offre")
    ADVANCED = "advanced", _("Les communes des services avancés (avec ou sans DSI)")
    COMMUNES = "communes", _("Une liste de communes")


class DocumentKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TEMPLATE = "template", _("Modèle")
    STUDY = "study", _("Étude")
    MINUTES = "minutes", _("Compte rendu")
    OTHER = "other", _("Autre document")


# The files a post, document or message may carry (checked by `core.uploads`, by content).
UPLOAD_KINDS = (
    "pdf",
    "png",
    "jpeg",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "csv",
    "md",
)
