"""Awareness data: stored module versions, each person's progress and attestations, campaigns,
reminders, and on-site sessions with their attendees."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.awareness import content
from mutualis.core.collation import french
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune


@lru_cache(maxsize=64)
def _parsed(content_hash: str, text: str, source: str) -> content.Module:
    return content.parse_module(text, source=source)


class AwarenessModule(models.Model):
    """A module of the catalogue, by its stable slug; its content lives in its versions."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    order = models.IntegerField(_("ordre"), default=0)
    current_version = models.ForeignKey(
        "ModuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", french("slug")]
        verbose_name = _("module de sensibilisation")
        verbose_name_plural = _("modules de sensibilisation")

    def __str__(self) -> str:
        return self.title


class ModuleVersion(models.Model):
    """One loaded version of a module file, stored whole. Never edited: results point to it."""

    module = models.ForeignKey(AwarenessModule, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(_("empreinte SHA-256"), max_length=64)
    text = models.TextField(_("contenu du fichier"))
    source_name = models.CharField(_("fichier d'origine"), max_length=300, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    pass_mark = models.PositiveIntegerField(_("seuil de réussite (%)"))
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["module", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["module", "version"], name="one_module_version")
        ]
        verbose_name = _("version de module")
        verbose_name_plural = _("versions de module")

    def __str__(self) -> str:
        return f"{self.module.slug} v{self.version}"

    @property
    def content(self) -> content.Module:
        """The validated module (parsed once per process and content)."""
        return _parsed(self.content_hash, self.text, f"{self.module.slug} v{self.version}")

    def steps(self) -> list[tuple[str, str, str]]:
        """(key, kind, title) of every step in order: lesson sections, exercises, then the quiz."""
        module = self.content
        steps = [(f"s{n}", "section", s.title) for n, s in enumerate(module.sections, start=1)]
        steps += [(f"e:{e.id}", "exercise", e.title) for e in module.exercises]
        steps.append(("quiz", "quiz", str(_("Quiz"))))
        return steps


class ProgressQuerySet(models.QuerySet):
    def passed(self) -> ProgressQuerySet:
        return self.filter(passed_at__isnull=False)


class Progress(models.Model):
    """A person's way through one module version: steps done, exercise clicks, best quiz score.

    A person's training is personal: it counts for every commune where they hold a role. The
    commune they were acting for when they started is kept for the attestation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="awareness_progress"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("dernière activité"), default=timezone.now)
    steps_done = models.JSONField(_("étapes faites"), default=list)
    exercise_answers = models.JSONField(_("réponses aux exercices"), default=dict)
    best_percentage = models.PositiveIntegerField(_("meilleur score (%)"), null=True, blank=True)
    quiz_attempts = models.PositiveIntegerField(_("tentatives au quiz"), default=0)
    passed_at = models.DateTimeField(_("réussi le"), null=True, blank=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module_version"], name="one_progress_per_version"
            )
        ]
        verbose_name = _("progression")
        verbose_name_plural = _("progressions")

    def __str__(self) -> str:
        return f"{self.user} — {self.module_version}"

    def percent(self) -> int:
        steps = [key for key, _kind, _title in self.module_version.steps()]
        done = sum(key in self.steps_done for key in steps)
        return round(100 * done / len(steps))

    def next_step(self) -> int:
        """1-based number of the first step not done yet (the quiz when all are done)."""
        steps = self.module_version.steps()
        for number, (key, _kind, _title) in enumerate(steps, start=1):
            if key not in self.steps_done:
                return number
        return len(steps)


class QuizAttempt(models.Model):
    """One submission of a module's quiz. Every try is kept; the best one counts."""

    progress = models.ForeignKey(Progress, on_delete=models.PROTECT, related_name="attempts")
    submitted_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    answers = models.JSONField(_("réponses"), default=dict)
    correct_count = models.PositiveIntegerField(_("bonnes réponses"))
    total = models.PositiveIntegerField(_("questions"))
    percentage = models.PositiveIntegerField(_("score (%)"))
    passed = models.BooleanField(_("réussi"))

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("tentative au quiz")
        verbose_name_plural = _("tentatives au quiz")

    def __str__(self) -> str:
        return f"{self.progress} — {self.percentage} %"


class Attestation(models.Model):
    """The completion attestation issued on a first pass; its number is kept forever."""

    number = models.CharField(_("numéro"), max_length=30, unique=True)
    verification_code = models.CharField(_("code de vérification"), max_length=20)
    progress = models.OneToOneField(Progress, on_delete=models.PROTECT, related_name="attestation")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("nom"), max_length=300)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    module_version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="+")
    percentage = models.PositiveIntegerField(_("score (%)"))
    issued_at = models.DateTimeField(_("délivrée le"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")

    def __str__(self) -> str:
        return self.number


class CampaignScope(models.TextChoices):
    ALL = "all", _("Toutes les communes")
    COMMUNES = "communes", _("Des communes choisies")
    AGENTS = "agents", _("Des agents choisis")


class CampaignQuerySet(models.QuerySet):
    def active(self) -> CampaignQuerySet:
        return self.filter(cancelled_at__isnull=True)

    def concerning(self, commune: Commune) -> CampaignQuerySet:
        """Campaigns that a commune's people see: aimed at it (« every commune » of a programme
        of its territory) or launched by it."""
        return self.filter(
            models.Q(scope=CampaignScope.ALL, programme__epcis=commune.epci_id)
            | models.Q(communes=commune)
            | models.Q(commune=commune)
        ).distinct()

    def for_person(self, user, commune_ids: list[int]) -> CampaignQuerySet:
        """Campaigns that assign modules to this person (through any commune they work for);
        « every commune » means every commune of the campaign's programme's territory."""
        return (
            self.active()
            .filter(
                models.Q(scope=CampaignScope.ALL, programme__epcis__communes__in=commune_ids)
                | models.Q(scope=CampaignScope.COMMUNES, communes__in=commune_ids)
                | models.Q(scope=CampaignScope.AGENTS, agents=user, commune__in=commune_ids)
            )
            .distinct()
        )


class Campaign(models.Model):
    """Modules assigned to communes or to chosen agents, to finish by a due date."""

    title = models.CharField(_("intitulé"), max_length=200)
    # The programme whose communes it addresses (« toutes les communes » are that programme's).
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        on_delete=models.PROTECT,
        related_name="awareness_campaigns",
    )
    modules = models.ManyToManyField(AwarenessModule, verbose_name=_("modules"), related_name="+")
    due_date = models.DateField(_("à terminer avant le"))
    scope = models.CharField(_("public"), max_length=20, choices=CampaignScope.choices)
    communes = models.ManyToManyField(
        Commune, verbose_name=_("communes"), blank=True, related_name="+"
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), blank=True, related_name="+"
    )
    # The commune that launched it (a manager's campaign); empty for the intercommunal team's.
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message aux agents"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")

    def __str__(self) -> str:
        return self.title


class ReminderKind(models.TextChoices):
    ASSIGNED = "assigned", _("Nouvelle campagne")
    DUE_SOON = "due_soon", _("Échéance proche")
    OVERDUE = "overdue", _("Échéance dépassée")


class Reminder(models.Model):
    """One reminder email sent to one person for one campaign: each kind is sent once."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "kind"], name="one_reminder_per_kind"
            )
        ]
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.user} — {self.get_kind_display()}"


class OnsiteSession(models.Model):
    """An on-site awareness session held in a commune (advanced offers)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("thème"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=90)
    place = models.CharField(_("lieu"), max_length=300)
    facilitator = models.CharField(_("animée par"), max_length=200)
    modules = models.ManyToManyField(
        AwarenessModule, verbose_name=_("modules abordés"), blank=True, related_name="+"
    )
    outside_offer_reason = models.TextField(_("motif (commune hors offre avancée)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    attendance_recorded_at = models.DateTimeField(_("présences relevées le"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("session en présentiel")
        verbose_name_plural = _("sessions en présentiel")

    def __str__(self) -> str:
        return f"{self.title} — {self.commune}"

    @property
    def is_open_for_registration(self) -> bool:
        return self.cancelled_at is None and self.attendance_recorded_at is None


class Attendee(models.Model):
    """A person registered for an on-site session; attendance is recorded after it."""

    session = models.ForeignKey(OnsiteSession, on_delete=models.PROTECT, related_name="attendees")
    full_name = models.CharField(_("nom et prénom"), max_length=200)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    present = models.BooleanField(_("présent"), null=True, blank=True)

    class Meta:
        ordering = [french("full_name"), "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.full_name
