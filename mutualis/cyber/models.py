"""Stored referential versions, first advice, diagnostics and their remediation plans.

A diagnostic keeps the referential version it was taken with: its scores and plan are always
recomputed from that version's stored content and its own answers, so loading a new referential
never changes a finished diagnostic. Nothing here is ever deleted: a draft is cancelled with who,
when and why; plan changes are recorded in the audit trail.
"""

import datetime
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mutualis.cyber.referential import Referential, parse_referential
from mutualis.cyber.scoring import DiagnosticResult, FirstAdvice, first_advice, score_diagnostic
from mutualis.territory.models import Commune


@lru_cache(maxsize=16)
def _parsed(fingerprint: str, content: str) -> Referential:
    return parse_referential(
        content, source=gettext("référentiel %(fingerprint)s") % {"fingerprint": fingerprint[:12]}
    )


class ReferentialVersionQuerySet(models.QuerySet):
    def current(self) -> "ReferentialVersion | None":
        """The version new diagnostics and first advice use: the one loaded last."""
        return self.order_by("-loaded_at", "-pk").first()


class ReferentialVersion(models.Model):
    """One stored version of the diagnostic referential (canonical JSON). Never edited."""

    version = models.CharField(_("version"), max_length=50, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    fingerprint = models.CharField(_("empreinte"), max_length=64, unique=True)
    content = models.TextField(_("contenu canonique"))
    source_name = models.CharField(_("fichier d'origine"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReferentialVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("version du référentiel")
        verbose_name_plural = _("versions du référentiel")

    def __str__(self) -> str:
        return f"{self.title} — {self.version}"

    @property
    def referential(self) -> Referential:
        return _parsed(self.fingerprint, self.content)


class FirstAdviceRecord(models.Model):
    """A commune's answers to the short self-assessment of the base offer; each one is kept."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="first_advice")
    referential_version = models.ForeignKey(
        ReferentialVersion, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("réponses"), default=dict)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True)
    taken_at = models.DateTimeField(_("passé le"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("premier conseil")
        verbose_name_plural = _("premiers conseils")

    def __str__(self) -> str:
        return f"{self.commune} — {self.taken_at:%Y-%m-%d}"

    def result(self) -> FirstAdvice:
        return first_advice(self.referential_version.referential, self.answers)


class DiagnosticStatus(models.TextChoices):
    DRAFT = "draft", _("En cours")
    COMPLETED = "completed", _("Terminé")
    CANCELLED = "cancelled", _("Annulé")


class DiagnosticQuerySet(models.QuerySet):
    def completed(self) -> "DiagnosticQuerySet":
        return self.filter(status=DiagnosticStatus.COMPLETED)

    def latest_completed_by_commune(self) -> dict[int, "Diagnostic"]:
        """Each commune's most recent completed diagnostic, in one query."""
        latest: dict[int, Diagnostic] = {}
        for diagnostic in self.completed().order_by("completed_at", "pk"):
            latest[diagnostic.commune_id] = diagnostic
        return latest


class Diagnostic(models.Model):
    """A first-level diagnostic of one commune, led by the referent; frozen once completed."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="diagnostics")
    referential_version = models.ForeignKey(
        ReferentialVersion, on_delete=models.PROTECT, related_name="diagnostics"
    )
    status = models.CharField(
        _("état"), max_length=20, choices=DiagnosticStatus.choices, default=DiagnosticStatus.DRAFT
    )
    answers = models.JSONField(_("réponses"), default=dict)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("diagnostic précédent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    out_of_offer_reason = models.TextField(_("motif (commune hors offre avancée)"), blank=True)
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the result at completion so that lists and the programme view need no scoring.
    overall = models.DecimalField(_("score global"), max_digits=4, decimal_places=1, null=True)
    maturity_level = models.PositiveSmallIntegerField(_("niveau de maturité"), null=True)
    maturity_label = models.CharField(_("maturité"), max_length=100, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(_("motif d'annulation"), blank=True)
    checkin_reminder_sent_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")

    def __str__(self) -> str:
        return f"{self.commune} — {self.started_at:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == DiagnosticStatus.DRAFT

    @property
    def is_completed(self) -> bool:
        return self.status == DiagnosticStatus.COMPLETED

    @property
    def referential(self) -> Referential:
        return self.referential_version.referential

    def result(self) -> DiagnosticResult:
        return score_diagnostic(self.referential, self.answers)

    def checkin_due_on(self) -> datetime.date | None:
        """The day the follow-up diagnostic is due (the referential's months after completion)."""
        if self.completed_at is None:
            return None
        return add_months(
            timezone.localdate(self.completed_at), self.referential.review_after_months
        )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later, or the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


class MeasureStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Faite")
    NOT_APPLICABLE = "not_applicable", _("Sans objet")


CLOSED_STATUSES = frozenset({MeasureStatus.DONE, MeasureStatus.NOT_APPLICABLE})


class PlanMeasureQuerySet(models.QuerySet):
    def open(self) -> "PlanMeasureQuerySet":
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> "PlanMeasureQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())


class PlanMeasure(models.Model):
    """One measure of a completed diagnostic's remediation plan, followed until it is done."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.PROTECT, related_name="measures")
    measure_id = models.CharField(_("mesure"), max_length=20)
    position = models.PositiveSmallIntegerField(_("rang dans le plan"))
    level = models.PositiveSmallIntegerField(_("niveau"))
    is_priority = models.BooleanField(_("mesure prioritaire"), default=False)
    title = models.CharField(_("intitulé"), max_length=300)
    theme_id = models.CharField(_("thème"), max_length=50)
    status = models.CharField(
        _("état"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.TODO
    )
    justification = models.TextField(_("justification (sans objet)"), blank=True)
    owner = models.CharField(_("responsable"), max_length=200, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = PlanMeasureQuerySet.as_manager()

    class Meta:
        ordering = ["diagnostic", "position"]
        verbose_name = _("mesure du plan")
        verbose_name_plural = _("mesures du plan")
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "measure_id"], name="one_plan_measure")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} — {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            not self.is_closed
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )


class Evidence(models.Model):
    """A file proving a measure was carried out; stored under a random name, served only by a
    permission-checked view, never deleted."""

    plan_measure = models.ForeignKey(
        PlanMeasure, on_delete=models.PROTECT, related_name="evidence_files"
    )
    file = models.FileField(_("fichier"), upload_to="cyber/evidence/", max_length=200)
    original_name = models.CharField(_("nom d'origine"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")

    def __str__(self) -> str:
        return self.original_name
