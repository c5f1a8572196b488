"""A commune's membership of one offer of a programme, every step it went through, the council
deliberations that authorise them, the conventions and amendments, and the referent's time."""

import calendar
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutualis.membership.enums import CAPACITY_HOLDING, IN_OFFER, OPEN, Status
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deliberation_upload_to(instance, filename: str) -> str:
    """Uploaded files are stored under a random name: the original name is never trusted."""
    return f"deliberations/{uuid.uuid4().hex}.pdf"


def convention_upload_to(instance, filename: str) -> str:
    return f"conventions/{uuid.uuid4().hex}.pdf"


class MembershipQuerySet(models.QuerySet):
    def open(self) -> "MembershipQuerySet":
        return self.filter(status__in=OPEN)

    def in_offer(self) -> "MembershipQuerySet":
        return self.filter(status__in=IN_OFFER)

    def holding_capacity(self) -> "MembershipQuerySet":
        """Admitted memberships that use their pool's capacity until they leave."""
        return self.filter(status__in=CAPACITY_HOLDING)

    def headline_by_commune(self, programme: Programme) -> dict[int, "Membership"]:
        """Each commune's most advanced open membership (advanced offer over base), one query."""
        return headline(self.filter(programme=programme).open().order_by("created_at"))


def headline(memberships: Iterable["Membership"]) -> dict[int, "Membership"]:
    """Of open memberships in creation order, each commune's most advanced (advanced over base)."""
    best: dict[int, Membership] = {}
    for membership in memberships:
        current = best.get(membership.commune_id)
        if current is None or (current.offer_code == "base" and membership.offer_code != "base"):
            best[membership.commune_id] = membership
    return best


class Membership(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="memberships")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="memberships")
    offer_code = models.CharField(_("offre"), max_length=50)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_on = models.DateField(_("candidature le"), null=True, blank=True)
    admitted_on = models.DateField(_("admise le"), null=True, blank=True)
    # The load the commune carries in its capacity pool, fixed when it is admitted.
    estimated_load_days = models.DecimalField(
        _("charge estimée (jours par an)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    signed_on = models.DateField(_("convention signée le"), null=True, blank=True)
    start_date = models.DateField(_("début de l'adhésion"), null=True, blank=True)
    exit_requested_on = models.DateField(_("sortie demandée le"), null=True, blank=True)
    effective_exit = models.DateField(_("sortie effective le"), null=True, blank=True)
    # The membership of the previous programme this one renews (decided by the council).
    renews = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
        verbose_name=_("renouvelle l'adhésion"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        # headline_by_commune looks up a page of communes within one programme: without this
        # index SQLite walks the programme's index (every membership of France) and sorts.
        indexes = [models.Index(fields=["commune", "programme"], name="membership_commune_prog")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "commune", "offer_code"],
                condition=models.Q(status__in=sorted(OPEN)),
                name="one_open_membership_per_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.offer_code} — {self.get_status_display()}"

    def offer_name(self) -> str:
        try:
            return self.programme.spec.offer(self.offer_code).name
        except KeyError:
            return self.offer_code

    def first_start(self):
        """The start of the first membership this one renews, through every renewal."""
        first, seen = self, {self.pk}
        while first.renews_id is not None and first.renews_id not in seen:
            seen.add(first.renews_id)
            first = first.renews
        return first.start_date

    @property
    def is_base(self) -> bool:
        return self.offer_code == self.programme.spec.base_offer.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Transition(models.Model):
    """One step of a membership: from, to, who, when, why. Never edited or deleted."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    # The date the step took effect (a signature, a council's decision), which may precede `at`.
    on = models.DateField(_("date d'effet"), default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    deliberation = models.ForeignKey(
        "Deliberation",
        verbose_name=_("délibération"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transitions",
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("étape d'adhésion")
        verbose_name_plural = _("étapes d'adhésion")

    def __str__(self) -> str:
        return f"{self.membership_id}: {self.from_status} → {self.to_status}"


class QueueOverride(models.Model):
    """A coordinator's decision to move an application in its queue, with the written reason."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="queue_overrides"
    )
    position = models.PositiveSmallIntegerField(_("rang voulu"))
    reason = models.TextField(_("motif"))
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("modification de l'ordre de la file")
        verbose_name_plural = _("modifications de l'ordre de la file")

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.position}"


class Deliberation(models.Model):
    """A council deliberation as the document states it. Corrected, never deleted."""

    class Purpose(models.TextChoices):
        JOIN_BASE = "join_base", _("Adhésion au socle de base")
        APPLY_ADVANCED = "apply_advanced", _("Candidature aux services avancés")
        EXIT = "exit", _("Sortie du dispositif")
        RENEW = "renew", _("Renouvellement pour le programme suivant")
        OTHER = "other", _("Autre")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="deliberations")
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("adhésion concernée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliberations",
    )
    purpose = models.CharField(
        _("objet pour le programme"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER
    )
    number = models.CharField(_("numéro"), max_length=50)
    session_date = models.DateField(_("date de la séance"))
    convocation_date = models.DateField(_("date de convocation"), null=True, blank=True)
    second_convocation = models.BooleanField(_("réunion sur seconde convocation"), default=False)
    president = models.CharField(_("président de séance"), max_length=200, blank=True)
    secretary = models.CharField(_("secrétaire de séance"), max_length=200, blank=True)
    members_in_office = models.PositiveSmallIntegerField(
        _("membres en exercice"), null=True, blank=True
    )
    present = models.JSONField(_("membres présents"), default=list, blank=True)
    present_count = models.PositiveSmallIntegerField(
        _("nombre de présents annoncé"), null=True, blank=True
    )
    represented = models.JSONField(
        _("membres représentés et leur mandataire"), default=list, blank=True
    )
    represented_count = models.PositiveSmallIntegerField(
        _("nombre de procurations annoncé"), null=True, blank=True
    )
    absent = models.JSONField(_("membres absents"), default=list, blank=True)
    voters = models.PositiveSmallIntegerField(_("votants"), null=True, blank=True)
    expressed = models.PositiveSmallIntegerField(_("suffrages exprimés"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("pour"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("contre"), null=True, blank=True)
    votes_abstention = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    unanimous = models.BooleanField(_("adoptée à l'unanimité"), default=False)
    subject = models.CharField(_("objet"), max_length=300)
    decisions = models.TextField(_("décisions"), blank=True)
    publication_date = models.DateField(_("date de publication"), null=True, blank=True)
    prefecture_sent_on = models.DateField(_("transmise en préfecture le"), null=True, blank=True)
    prefecture_ack_number = models.CharField(
        _("numéro d'accusé de réception de la préfecture"), max_length=100, blank=True
    )
    enforceable_on = models.DateField(_("exécutoire le"), null=True, blank=True)
    pdf = models.FileField(
        _("délibération signée (PDF)"), upload_to=deliberation_upload_to, blank=True
    )
    # Findings of the legal checks: [{"code", "severity", "message"}], filled by the checks.
    findings = models.JSONField(_("constats"), default=list, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-session_date", "-id"]
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "number", "session_date"], name="one_deliberation_per_number"
            )
        ]

    def __str__(self) -> str:
        return gettext("%(commune)s — n° %(number)s du %(date)s") % {
            "commune": self.commune,
            "number": self.number,
            "date": self.session_date.strftime("%d/%m/%Y"),
        }

    @property
    def appeal_deadline(self) -> date | None:
        """Last day to challenge it before the administrative court: publication + 2 months."""
        return add_months(self.publication_date, 2) if self.publication_date else None

    def appeal_open_on(self, day: date) -> bool | None:
        deadline = self.appeal_deadline
        return None if deadline is None else day <= deadline

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.findings if f.get("severity") == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [f for f in self.findings if f.get("severity") == "warning"]


class Convention(models.Model):
    """The convention of an advanced membership. Its number and issued PDF are kept forever."""

    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="convention"
    )
    number = models.CharField(_("numéro"), max_length=30, unique=True)
    type_code = models.CharField(_("type de convention"), max_length=50)
    type_name = models.CharField(_("intitulé"), max_length=200)
    issued_on = models.DateField(_("émise le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A start date the coordinator wrote on the convention; else it follows from the signature.
    planned_start = models.DateField(_("date de début prévue"), null=True, blank=True)
    document = models.FileField(_("convention émise (PDF)"), upload_to=convention_upload_to)
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    signed_pdf = models.FileField(
        _("exemplaire signé (PDF)"), upload_to=convention_upload_to, blank=True
    )
    signed_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return self.number


class Amendment(models.Model):
    """An amendment (avenant), numbered under its convention: CONV-2024-0001-A1."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="amendments")
    sequence = models.PositiveSmallIntegerField()
    number = models.CharField(_("numéro"), max_length=40, unique=True)
    subject = models.TextField(_("objet"))
    issued_on = models.DateField(_("émis le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField(_("avenant émis (PDF)"), upload_to=convention_upload_to)
    # A renewal amendment: the membership of the successor programme it carries the convention to.
    renewal = models.OneToOneField(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_amendment",
    )
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    signed_pdf = models.FileField(
        _("exemplaire signé (PDF)"), upload_to=convention_upload_to, blank=True
    )

    class Meta:
        ordering = ["convention", "sequence"]
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "sequence"], name="one_amendment_per_sequence"
            )
        ]

    def __str__(self) -> str:
        return self.number


class RenewalRefusalQuerySet(models.QuerySet):
    def standing(self) -> "RenewalRefusalQuerySet":
        """Refusals no later renewal has superseded."""
        return self.filter(superseded_by__isnull=True)


class RenewalRefusal(models.Model):
    """A member commune does not continue in the successor programme: recorded by a coordinator
    with the reason, never deleted; a renewal decided later (before the programme's end)
    supersedes it, and the refusal stays as the trace of what was said first."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="renewal_refusals",
        verbose_name=_("adhésion non renouvelée"),
    )
    successor = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="+", verbose_name=_("programme suivant")
    )
    reason = models.TextField(_("motif"))
    deliberation = models.ForeignKey(
        Deliberation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("délibération du conseil"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)
    superseded_by = models.OneToOneField(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_refusal",
        verbose_name=_("remplacé par le renouvellement"),
    )

    objects = RenewalRefusalQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("refus de renouvellement")
        verbose_name_plural = _("refus de renouvellement")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "successor"],
                condition=models.Q(superseded_by__isnull=True),
                name="one_standing_refusal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} — {self.successor.slug}"


class TimeLog(models.Model):
    """Time the referent (or the team) actually spent for a commune, beside its estimated load."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="time_logs")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="time_logs"
    )
    on = models.DateField(_("date"))
    days = models.DecimalField(_("jours passés"), max_digits=5, decimal_places=2)
    note = models.CharField(_("objet"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("temps passé")
        verbose_name_plural = _("temps passés")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gt=Decimal("0")) & models.Q(days__lte=Decimal("31")),
                name="time_log_days_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.on}: {self.days} j"


class ScanReading(models.Model):
    """A scanned deliberation (a PDF without text layer) uploaded for a commune: the scheduled
    job reads it by OCR outside the web request, then the person who may record the commune's
    deliberations checks the values read and confirms. The PDF is kept until then; the cleanup
    removes it when nobody confirms (the row stays, expired, as a trace)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de lecture")
        RUNNING = "running", _("Lecture en cours")
        DONE = "done", _("Lue")
        FAILED = "failed", _("Lecture impossible")
        CONFIRMED = "confirmed", _("Délibération enregistrée")
        EXPIRED = "expired", _("Expirée, PDF supprimé")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="scan_readings")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Stored by core.uploads under a random name in deliberations/pending/; emptied once the
    # deliberation has its own copy, or when the cleanup removes the file.
    pdf = models.FileField(_("PDF déposé"), max_length=200, blank=True)
    filename = models.CharField(_("nom du fichier déposé"), max_length=150)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("essais de lecture"), default=0)
    runner = models.CharField(_("lu par"), max_length=100, blank=True)
    text = models.TextField(_("texte lu"), blank=True)
    # The reader's JSON (`DeliberationReading.to_dict`, with the findings of the checks).
    result = models.JSONField(_("résultat de la lecture"), null=True, blank=True)
    error = models.TextField(_("problème"), blank=True)
    deliberation = models.ForeignKey(
        Deliberation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("lecture commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("lecture terminée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expirée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lecture d'une délibération numérisée")
        verbose_name_plural = _("lectures de délibérations numérisées")
        indexes = [models.Index(fields=["status", "created_at"], name="scan_reading_queue")]

    def __str__(self) -> str:
        return f"{self.commune} — « {self.filename} » ({self.get_status_display()})"

    @property
    def waiting(self) -> bool:
        """Not read yet: the status page refreshes itself."""
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def confirmable(self) -> bool:
        """Read (or failed to be) with its PDF still kept: the form may be confirmed with it."""
        return self.status in {self.Status.DONE, self.Status.FAILED} and bool(self.pdf)
