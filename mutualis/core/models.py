"""What every app shares: the audit trail of who did what, when and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def for_commune(self, insee_code: str) -> "AuditEventQuerySet":
        return self.filter(commune_insee=insee_code)


class AuditEvent(models.Model):
    """One recorded action. Never updated, never deleted: the trail every rule relies on."""

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=80)
    object_id = models.CharField(_("identifiant"), max_length=64)
    commune_insee = models.CharField(_("commune (INSEE)"), max_length=5, blank=True, db_index=True)
    summary = models.CharField(_("résumé"), max_length=300)
    reason = models.TextField(_("motif"), blank=True)
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal des événements")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


class DocumentCounter(models.Model):
    """The last number issued in a series for a year (calls, credit notes...). See numbering.py."""

    series = models.CharField(_("série"), max_length=40)
    year = models.PositiveSmallIntegerField(_("année"))
    last = models.PositiveIntegerField(_("dernier numéro attribué"), default=0)

    class Meta:
        verbose_name = _("compteur de numérotation")
        verbose_name_plural = _("compteurs de numérotation")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year} : {self.last}"


class RateCounter(models.Model):
    """Hits of one caller on one rate-limited rule in one time window (ratelimit.py).

    Kept in the database so that every worker and every server counts the same hits; rows of past
    windows are removed as new ones begin (a counter is not a record anyone needs to keep)."""

    key = models.CharField(_("clé"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("nombre"), default=0)
    expires_at = models.DateTimeField(_("expire le"), db_index=True)

    class Meta:
        verbose_name = _("compteur de limite de débit")
        verbose_name_plural = _("compteurs de limite de débit")

    def __str__(self) -> str:
        return f"{self.key} : {self.count}"


class Submission(models.Model):
    """The one-time token of a creation form, claimed by the service that creates: the second
    of two identical posts (a double click) finds it taken and creates nothing (submissions.py)."""

    token = models.CharField(_("jeton"), max_length=64, unique=True)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    # Where the creation led (a view's redirect): the second post of a double click goes there too.
    location = models.CharField(_("page atteinte"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("formulaire envoyé")
        verbose_name_plural = _("formulaires envoyés")

    def __str__(self) -> str:
        return self.token
