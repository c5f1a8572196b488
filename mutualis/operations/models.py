"""Running the platform: the outbox of outgoing mail, the scheduler's job states, deactivations."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.collation import french


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("en attente")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("en échec")


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now=None) -> "OutgoingEmailQuerySet":
        now = now or timezone.now()
        return self.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )

    def unsent(self) -> "OutgoingEmailQuerySet":
        return self.exclude(status=EmailStatus.SENT)


class OutgoingEmail(models.Model):
    """A message written by the platform, kept until the mail server has accepted it.

    Written in the sender's transaction (OutboxBackend), so a rolled-back action sends nothing and
    a committed one never loses its mail; sent by `mutualis send_outbox` with retries.
    """

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    subject = models.CharField(_("objet"), max_length=300)
    from_email = models.CharField(_("expéditeur"), max_length=300)
    recipients = models.JSONField(_("destinataires"), default=list)
    message = models.BinaryField(_("message (MIME)"))
    status = models.CharField(
        _("état"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"


class JobState(models.Model):
    """One scheduled job: when it is next due and how its last run went.

    `run_scheduled` claims a due job with one conditional UPDATE on this row, so among servers
    started at the same time exactly one runs each job per period.
    """

    name = models.CharField(_("tâche"), max_length=80, unique=True)
    next_due_at = models.DateTimeField(_("prochaine échéance"), default=timezone.now)
    running_since = models.DateTimeField(_("en cours depuis"), null=True, blank=True)
    runner = models.CharField(_("serveur"), max_length=200, blank=True)
    last_started_at = models.DateTimeField(_("dernier lancement"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("dernière fin"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    run_count = models.PositiveIntegerField(_("exécutions"), default=0)
    failure_count = models.PositiveIntegerField(_("échecs"), default=0)

    class Meta:
        ordering = [french("name")]
        verbose_name = _("tâche planifiée")
        verbose_name_plural = _("tâches planifiées")

    def __str__(self) -> str:
        return self.name

    @property
    def failed_last_time(self) -> bool:
        return bool(self.last_error)


class AccountDeactivationQuerySet(models.QuerySet):
    def due_for_erasure(self, now=None) -> "AccountDeactivationQuerySet":
        return self.filter(erased_at__isnull=True, erase_after__lte=now or timezone.now())


def _erase_after():
    return timezone.now() + timedelta(days=settings.MUTUALIS_ERASE_CONTACT_DETAILS_AFTER_DAYS)


class AccountDeactivation(models.Model):
    """A coordinator closed this account; its contact details are erased after the delay."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deactivation"
    )
    deactivated_at = models.DateTimeField(_("désactivé le"), default=timezone.now)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=300)
    erase_after = models.DateTimeField(_("effacement prévu le"), default=_erase_after)
    erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True, blank=True)

    objects = AccountDeactivationQuerySet.as_manager()

    class Meta:
        ordering = ["-deactivated_at"]
        verbose_name = _("désactivation de compte")
        verbose_name_plural = _("désactivations de comptes")

    def __str__(self) -> str:
        return str(self.user)
