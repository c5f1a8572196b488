"""Kinds of inventory records and business domains, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    SITE = "site", _("Site")
    WORKSTATION = "workstation", _("Poste de travail")
    SERVER = "server", _("Serveur")
    NETWORK = "network", _("Équipement réseau")
    PHONE = "phone", _("Téléphone")
    PRINTER = "printer", _("Imprimante")
    LICENCE = "licence", _("Compte ou licence")
    INTERNET = "internet", _("Accès internet")
    WEBSITE = "website", _("Site internet et nom de domaine")


class Domain(models.TextChoices):
    CIVIL_STATUS = "civil_status", _("État civil")
    ELECTIONS = "elections", _("Élections")
    FINANCE = "finance", _("Finances et comptabilité")
    PAYROLL = "payroll", _("Paie et ressources humaines")
    TOWN_PLANNING = "town_planning", _("Urbanisme")
    CEMETERY = "cemetery", _("Cimetière")
    DOCUMENTS = "documents", _("Gestion électronique des documents")
    SCHOOLS = "schools", _("Écoles et périscolaire")
    WEBSITE = "website", _("Site internet")
