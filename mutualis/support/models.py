"""Support requests, their events and attachments; each commune's IT support provider and the
periodic reviews of providers."""

from datetime import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutualis.purchasing.models import Supplier
from mutualis.support.enums import OPEN_STATUSES, Category, EventKind, Status, Urgency
from mutualis.territory.models import Commune

USER = settings.AUTH_USER_MODEL


class ProviderLinkQuerySet(models.QuerySet):
    def current(self) -> "ProviderLinkQuerySet":
        return self.filter(until__isnull=True)


class ProviderLink(models.Model):
    """A supplier serving as a commune's IT support provider, from a date; ended, never deleted."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.PROTECT,
        related_name="support_links",
        verbose_name=_("prestataire"),
    )
    since = models.DateField(_("depuis le"))
    until = models.DateField(_("jusqu'au"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderLinkQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "-since"]
        verbose_name = _("prestataire de support d'une commune")
        verbose_name_plural = _("prestataires de support des communes")
        constraints = [
            models.UniqueConstraint(
                fields=["commune"],
                condition=models.Q(until__isnull=True),
                name="one_current_provider",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.supplier}"


class SupportRequestQuerySet(models.QuerySet):
    def open(self) -> "SupportRequestQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class SupportRequest(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    urgency = models.CharField(
        _("urgence"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.NEW)
    opened_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    on_behalf = models.BooleanField(_("enregistrée par le référent pour la commune"), default=False)
    # Targets fixed when the request is opened, from the programme file then in force.
    response_due = models.DateTimeField(_("réponse attendue avant"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("résolution attendue avant"), null=True, blank=True)
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_response_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    provider = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    provider_reference = models.CharField(_("référence du prestataire"), max_length=100, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(_("résolution"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("demande de support")
        verbose_name_plural = _("demandes de support")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def response_breached(self, now: datetime | None = None) -> bool:
        if self.response_due is None:
            return False
        return (self.first_response_at or now or timezone.now()) > self.response_due

    def resolution_breached(self, now: datetime | None = None) -> bool:
        if self.resolution_due is None:
            return False
        return (self.closed_at or now or timezone.now()) > self.resolution_due

    def breached(self, now: datetime | None = None) -> bool:
        return self.response_breached(now) or self.resolution_breached(now)


class SupportEvent(models.Model):
    """One step of a request: a message, an answer, an assignment, an escalation, the closing."""

    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.request_id} {self.kind}"


class SupportAttachment(models.Model):
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or gettext("pièce jointe %(number)s") % {"number": self.pk}

    def download_name(self) -> str:
        return f"demande-{self.request_id}-piece-{self.pk}.{self.file.name.rsplit('.', 1)[-1]}"


class ProviderReview(models.Model):
    """The notes of a periodic review meeting with a provider."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="reviews")
    period_start = models.DateField(_("période du"))
    period_end = models.DateField(_("au"))
    notes = models.TextField(_("compte rendu"))
    written_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("revue de prestataire")
        verbose_name_plural = _("revues de prestataires")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="review_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.period_start} – {self.period_end}"
