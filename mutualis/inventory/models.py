"""What the platform knows of each commune's information system: equipment and business software."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.collation import french
from mutualis.inventory.end_of_support import identify, support_status
from mutualis.inventory.enums import AssetKind, Domain
from mutualis.territory.models import Commune


class AssetQuerySet(models.QuerySet):
    def current(self) -> "AssetQuerySet":
        return self.filter(retired_at__isnull=True)


class Asset(models.Model):
    """One item of a commune's inventory. Retired with a reason, never deleted."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="assets")
    kind = models.CharField(_("type"), max_length=20, choices=AssetKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    location = models.CharField(_("site ou lieu"), max_length=200, blank=True)
    owner = models.CharField(_("utilisateur ou responsable"), max_length=200, blank=True)
    operating_system = models.CharField(_("système d'exploitation"), max_length=200, blank=True)
    end_of_support = models.DateField(
        _("fin du support"),
        null=True,
        blank=True,
        help_text=_(
            "Laissez vide : la date est reprise de la table de référence quand le système y figure."
        ),
    )
    purchase_date = models.DateField(_("date d'achat"), null=True, blank=True)
    warranty_end = models.DateField(_("fin de garantie"), null=True, blank=True)
    serial = models.CharField(_("numéro de série"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    retired_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retire_reason = models.CharField(_("motif du retrait"), max_length=300, blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["kind", french("name")]
        verbose_name = _("équipement")
        verbose_name_plural = _("inventaire")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.name}"

    def support_end(self) -> date | None:
        """The date given by hand, else the reference table's for the recognised system."""
        if self.end_of_support:
            return self.end_of_support
        system = identify(self.operating_system) if self.operating_system else None
        return system.end if system else None

    def support_status(self, today: date) -> str:
        return support_status(self.support_end(), today=today)

    def age_years(self, today: date) -> int | None:
        if not self.purchase_date:
            return None
        return (
            today.year
            - self.purchase_date.year
            - ((today.month, today.day) < (self.purchase_date.month, self.purchase_date.day))
        )


class BusinessSoftware(models.Model):
    """A business application ("logiciel métier") a commune uses for one domain."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="business_software")
    domain = models.CharField(_("domaine"), max_length=20, choices=Domain.choices)
    software = models.CharField(_("logiciel"), max_length=120)
    vendor = models.CharField(_("éditeur"), max_length=120, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    contract_end = models.DateField(_("fin du contrat"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 à 5)"), null=True, blank=True, choices=[(i, str(i)) for i in range(1, 6)]
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain", french("software")]
        verbose_name = _("logiciel métier")
        verbose_name_plural = _("logiciels métiers")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "domain", "software"], name="one_software_per_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} — {self.software}"
