"""Negotiated offers, join requests, needs collection campaigns, roadmaps, suppliers and contracts."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.collation import french
from mutualis.programme.models import Programme
from mutualis.programme.selection import in_visible_programmes
from mutualis.purchasing.enums import (
    AmountBasis,
    CampaignStatus,
    Category,
    JoinStatus,
    OfferKind,
    Priority,
    Renewal,
    RoadmapStatus,
)
from mutualis.purchasing.terms import Term, current_term
from mutualis.territory.models import Commune

USER = settings.AUTH_USER_MODEL


class SupplierQuerySet(models.QuerySet):
    def active(self) -> "SupplierQuerySet":
        return self.filter(is_active=True)


class Supplier(models.Model):
    """A company or public body the communes buy from; deactivated, never deleted."""

    name = models.CharField(_("raison sociale"), max_length=200, unique=True)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("Le SIRET compte 14 chiffres."))],
    )
    services = models.CharField(_("domaines"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    address = models.TextField(_("adresse"), blank=True)
    notes = models.TextField(_("remarques"), blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = [french("name")]
        verbose_name = _("fournisseur")
        verbose_name_plural = _("fournisseurs")

    def __str__(self) -> str:
        return self.name


class OfferQuerySet(models.QuerySet):
    def published(self) -> "OfferQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def valid_on(self, day: date) -> "OfferQuerySet":
        return self.published().filter(valid_from__lte=day, valid_until__gte=day)


class NegotiatedOffer(models.Model):
    """A framework agreement, group purchase or central purchasing offer open to the communes."""

    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OfferKind.choices)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="offers", verbose_name=_("fournisseur")
    )
    description = models.TextField(_("ce qui est proposé"))
    price = models.DecimalField(_("prix HT (€)"), max_digits=12, decimal_places=2)
    price_unit = models.CharField(_("unité de prix"), max_length=100, help_text=_("ex. par poste"))
    conditions = models.TextField(_("conditions"), blank=True)
    support_included = models.BooleanField(_("support compris"), default=False)
    maintenance_included = models.BooleanField(_("maintenance comprise"), default=False)
    support_details = models.TextField(_("détail du support et de la maintenance"), blank=True)
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.CharField(_("motif du retrait"), max_length=300, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until", french("title")]
        verbose_name = _("offre négociée")
        verbose_name_plural = _("offres négociées")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="offer_validity_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: date) -> bool:
        return self.withdrawn_at is None and self.valid_from <= day <= self.valid_until


class OfferDocument(models.Model):
    """A document of an offer (price list, conditions), stored under a random name."""

    offer = models.ForeignKey(NegotiatedOffer, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offer", french("title")]
        verbose_name = _("document d'offre")
        verbose_name_plural = _("documents d'offre")

    def __str__(self) -> str:
        return self.title

    def download_name(self) -> str:
        return f"offre-{self.offer_id}-document-{self.pk}.{self.file.name.rsplit('.', 1)[-1]}"


class JoinRequest(models.Model):
    """A commune's request to join a negotiated offer; its history is in JoinRequestStep."""

    offer = models.ForeignKey(
        NegotiatedOffer, on_delete=models.PROTECT, related_name="join_requests"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("état"), max_length=20, choices=JoinStatus.choices)
    need = models.TextField(_("besoin exprimé"), blank=True)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("demande d'adhésion à une offre")
        verbose_name_plural = _("demandes d'adhésion à une offre")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "commune"],
                condition=models.Q(status="requested"),
                name="one_open_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.offer}"


class JoinRequestStep(models.Model):
    join_request = models.ForeignKey(JoinRequest, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=20, choices=JoinStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=JoinStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.join_request_id}: {self.from_status} → {self.to_status}"


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CampaignQuerySet":
        """Campaigns of the programmes the person may see: another programme's are unknown."""
        return in_visible_programmes(self, user)


class Campaign(models.Model):
    """A needs collection campaign: items to quantify, answered once per commune by a deadline."""

    title = models.CharField(_("intitulé"), max_length=200)
    # The programme whose member communes are asked.
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        on_delete=models.PROTECT,
        related_name="needs_campaigns",
    )
    description = models.TextField(_("présentation"), blank=True)
    deadline = models.DateField(
        _("date limite de réponse"), help_text=_("Les réponses sont reçues jusqu'à 23 h 59.")
    )
    status = models.CharField(
        _("état"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", french("title")]
        verbose_name = _("campagne de recueil des besoins")
        verbose_name_plural = _("campagnes de recueil des besoins")

    def __str__(self) -> str:
        return self.title

    def closes_at(self) -> datetime:
        """The last moment an answer is received: the deadline day at 23:59:59, local time."""
        return timezone.make_aware(datetime.combine(self.deadline, time(23, 59, 59)))

    def accepts_answers(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == CampaignStatus.OPEN and now <= self.closes_at()


class CampaignItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("article"), max_length=200)
    unit = models.CharField(_("unité"), max_length=50)
    constraints = models.CharField(_("contraintes"), max_length=500, blank=True)

    class Meta:
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return self.label


class CampaignAnswer(models.Model):
    """One commune's answer to a campaign: one per commune, updated until the deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="answers")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("commentaire"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réponse à une campagne")
        verbose_name_plural = _("réponses aux campagnes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "commune"], name="one_answer_per_commune")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.commune}"


class AnswerLine(models.Model):
    answer = models.ForeignKey(CampaignAnswer, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(CampaignItem, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantité"), default=0)
    remark = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "item"], name="one_line_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


class RoadmapItem(models.Model):
    """A planned purchase of a commune's roadmap; abandoned with a reason, never deleted."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    label = models.CharField(_("achat prévu"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    estimated_cost = models.DecimalField(
        _("coût estimé TTC (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.MEDIUM
    )
    measure_id = models.CharField(
        _("mesure du diagnostic"),
        max_length=30,
        blank=True,
        help_text=_(
            "Identifiant d'une mesure du diagnostic cyber qui motive l'achat, ex. M-BAK-01."
        ),
        validators=[RegexValidator(r"^M-[A-Z0-9-]+$", _("Identifiant de mesure attendu : M-…"))],
    )
    notes = models.TextField(_("remarques"), blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.PLANNED
    )
    status_reason = models.CharField(_("motif"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commune", "year", "priority", french("label")]
        verbose_name = _("achat de la feuille de route")
        verbose_name_plural = _("feuilles de route des achats")

    def __str__(self) -> str:
        return f"{self.commune} {self.year} — {self.label}"


class ContractQuerySet(models.QuerySet):
    def running(self) -> "ContractQuerySet":
        return self.filter(terminated_on__isnull=True)


class Contract(models.Model):
    """A commune's contract with a supplier. Terminated with a trace, never deleted."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("fournisseur")
    )
    subject = models.CharField(_("objet"), max_length=200)
    reference = models.CharField(_("référence"), max_length=100, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("échéance"))
    notice_months = models.PositiveSmallIntegerField(
        _("préavis (mois)"), default=3, validators=[MaxValueValidator(36)]
    )
    amount = models.DecimalField(
        _("montant HT (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount_basis = models.CharField(
        _("montant"), max_length=10, choices=AmountBasis.choices, default=AmountBasis.YEARLY
    )
    renewal = models.CharField(
        _("reconduction"), max_length=10, choices=Renewal.choices, default=Renewal.NONE
    )
    renewal_months = models.PositiveSmallIntegerField(
        _("durée d'une reconduction (mois)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    max_renewals = models.PositiveSmallIntegerField(
        _("nombre maximal de reconductions"), null=True, blank=True
    )
    notes = models.TextField(_("remarques"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    terminated_on = models.DateField(_("résilié ou terminé le"), null=True, blank=True)
    terminated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    termination_reason = models.CharField(_("motif"), max_length=300, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["commune", "end_date", french("subject")]
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="contract_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.supplier})"

    def term(self, today: date | None = None) -> Term:
        return current_term(
            start=self.start_date,
            end=self.end_date,
            notice_months=self.notice_months,
            tacit_renewal_months=self.renewal_months if self.renewal == Renewal.TACIT else None,
            today=today or timezone.localdate(),
            max_renewals=self.max_renewals,
        )

    def notice_alert(self, today: date, window_days: int) -> bool:
        """Notice can still be given and its last day is within the window."""
        if self.terminated_on is not None:
            return False
        deadline = self.term(today).notice_deadline
        return 0 <= (deadline - today).days <= window_days


class ContractAlert(models.Model):
    """An email sent about a contract's notice deadline: one per contract and deadline."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="alerts")
    notice_deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "notice_deadline"], name="one_alert_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} — {self.notice_deadline}"
