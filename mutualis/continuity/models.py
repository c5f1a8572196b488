"""Crisis and continuity of a commune: contacts, essential activities, plan, exercises, log books,
backup study and, for communes with an IT department, the register of advanced security tools."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.collation import french
from mutualis.territory.models import Commune

User = settings.AUTH_USER_MODEL


class CrisisContact(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="crisis_contacts")
    name = models.CharField(_("nom"), max_length=150)
    function = models.CharField(_("fonction"), max_length=150)
    call_for = models.CharField(_("à appeler pour"), max_length=200)
    phone = models.CharField(_("téléphone"), max_length=30)
    other_phone = models.CharField(_("autre téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=10)

    class Meta:
        ordering = ["order", french("name")]
        verbose_name = _("contact de crise")
        verbose_name_plural = _("contacts de crise")

    def __str__(self) -> str:
        return f"{self.name} ({self.function})"


class EssentialActivity(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="essential_activities"
    )
    name = models.CharField(_("activité"), max_length=200)
    tolerated_downtime_hours = models.PositiveIntegerField(_("interruption tolérée (heures)"))
    depends_on = models.CharField(_("dépend de"), max_length=300, blank=True)
    workaround = models.TextField(_("mode dégradé"), blank=True)

    class Meta:
        ordering = ["tolerated_downtime_hours", french("name")]
        verbose_name = _("activité essentielle")
        verbose_name_plural = _("activités essentielles")

    def __str__(self) -> str:
        return self.name


class ContinuityPlan(models.Model):
    """One version of a commune's continuity plan. A change is a new version; old ones stay."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="continuity_plans")
    version = models.PositiveIntegerField(_("version"))
    content = models.TextField(_("contenu (Markdown)"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["commune", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "version"], name="one_plan_version")
        ]
        verbose_name = _("plan de continuité")
        verbose_name_plural = _("plans de continuité")

    def __str__(self) -> str:
        return f"{self.commune} v{self.version}"


class CrisisExercise(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="crisis_exercises")
    held_on = models.DateField(_("date"))
    scenario = models.CharField(_("scénario"), max_length=300)
    findings = models.TextField(_("constats"), blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("exercice de crise")
        verbose_name_plural = _("exercices de crise")

    def __str__(self) -> str:
        return f"{self.held_on} {self.scenario}"


class ExerciseAction(models.Model):
    exercise = models.ForeignKey(CrisisExercise, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("responsable"), max_length=150, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("faite le"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action de suivi")
        verbose_name_plural = _("actions de suivi")

    def __str__(self) -> str:
        return self.description


class CrisisLog(models.Model):
    """The log book of one crisis; entries are only ever added."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="crisis_logs")
    title = models.CharField(_("crise"), max_length=200)
    opened_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    opened_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("main courante de crise")
        verbose_name_plural = _("mains courantes de crise")

    def __str__(self) -> str:
        return self.title


class LogEntry(models.Model):
    log = models.ForeignKey(CrisisLog, on_delete=models.PROTECT, related_name="entries")
    at = models.DateTimeField(_("heure"), auto_now_add=True)
    author = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("événement ou décision"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("entrée de main courante")
        verbose_name_plural = _("entrées de main courante")

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.text[:40]}"


class BackupStudy(models.Model):
    """A commune's backup study: its data volumes and current copies, checked against 3-2-1."""

    commune = models.OneToOneField(Commune, on_delete=models.PROTECT, related_name="backup_study")
    office_gb = models.DecimalField(
        _("bureautique (Go)"), max_digits=9, decimal_places=1, default=0
    )
    business_gb = models.DecimalField(
        _("logiciels métiers (Go)"), max_digits=9, decimal_places=1, default=0
    )
    email_gb = models.DecimalField(_("messagerie (Go)"), max_digits=9, decimal_places=1, default=0)
    other_gb = models.DecimalField(
        _("autres données (Go)"), max_digits=9, decimal_places=1, default=0
    )
    notes = models.TextField(_("observations"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("étude de sauvegarde")
        verbose_name_plural = _("études de sauvegarde")

    def __str__(self) -> str:
        return str(self.commune)

    @property
    def total_gb(self):
        return self.office_gb + self.business_gb + self.email_gb + self.other_gb


class BackupCopy(models.Model):
    class Medium(models.TextChoices):
        NAS = "nas", _("NAS ou serveur local")
        USB = "usb_disk", _("Disque externe")
        TAPE = "tape", _("Bande")
        CLOUD = "cloud", _("Service en ligne")
        OTHER = "other", _("Autre")

    study = models.ForeignKey(BackupStudy, on_delete=models.CASCADE, related_name="copies")
    name = models.CharField(_("sauvegarde"), max_length=150)
    medium = models.CharField(_("support"), max_length=20, choices=Medium.choices)
    frequency_days = models.PositiveIntegerField(_("fréquence (jours)"))
    offsite = models.BooleanField(_("hors site"), default=False)
    offline = models.BooleanField(_("déconnectée ou immuable"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("copie de sauvegarde")
        verbose_name_plural = _("copies de sauvegarde")

    def __str__(self) -> str:
        return self.name


class SecurityTool(models.Model):
    """An advanced security tool deployed in a commune with an IT department, and its coverage."""

    class Category(models.TextChoices):
        EDR = "edr", _("EDR / antivirus nouvelle génération")
        MFA = "mfa", _("Authentification multifacteur")
        BACKUP = "backup", _("Sauvegarde")
        FILTERING = "filtering", _("Filtrage web et messagerie")
        OTHER = "other", _("Autre")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="security_tools")
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    product = models.CharField(_("produit"), max_length=150)
    covered = models.PositiveIntegerField(_("postes ou comptes couverts"))
    total = models.PositiveIntegerField(_("postes ou comptes au total"))
    deployed_on = models.DateField(_("déployé le"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["category", french("product")]
        verbose_name = _("outil de sécurité")
        verbose_name_plural = _("registre des outils de sécurité")

    def __str__(self) -> str:
        return self.product

    @property
    def coverage(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 0
