"""Programmes, their versioned files, and each commune's participation in a programme."""

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.programme.schema import ProgrammeFile, parse_programme
from mutualis.territory.models import Commune, Epci


@lru_cache(maxsize=32)
def _parsed(sha256: str) -> ProgrammeFile:
    """The programme file whose content has this digest, parsed. The parse is a pure function of
    the content, which the digest names: each process reads and parses a version once, and a page
    that knows its programme's digest (`Programme.current_sha256`) reads no version."""
    content = ProgrammeVersion.objects.filter(sha256=sha256).values_list("content", flat=True)[0]
    return parse_programme(content, source=sha256[:12])


class Status(models.TextChoices):
    """A programme's life, derived from its dates and the coordinator's decision to open it."""

    DRAFT = "draft", _("en préparation")
    OPEN = "open", _("ouvert aux candidatures")
    RUNNING = "running", _("en cours")
    ENDED = "ended", _("terminé")


# The order in which a default programme is chosen among those a person may see.
_PREFERENCE = {Status.RUNNING: 0, Status.OPEN: 1, Status.ENDED: 2, Status.DRAFT: 3}


def preferred(programmes: list["Programme"], on: date | None = None) -> "Programme | None":
    """Among programmes ordered latest start first: running, else open for applications, else
    the last ended, else a draft."""
    on = on or timezone.localdate()
    return min(programmes, key=lambda p: _PREFERENCE[p.status(on)], default=None)


class ProgrammeQuerySet(models.QuerySet):
    def opened(self) -> "ProgrammeQuerySet":
        """Programmes a coordinator has opened (no longer drafts)."""
        return self.filter(opened_at__isnull=False)

    def running(self, on: date | None = None) -> "ProgrammeQuerySet":
        on = on or timezone.localdate()
        return self.opened().filter(start__lte=on, end__gte=on)

    def for_epci(self, epci_id: int | None) -> "ProgrammeQuerySet":
        """Programmes whose territory (the EPCIs their file names) includes this EPCI."""
        return self.filter(epcis=epci_id)

    def preferred(self, on: date | None = None) -> "Programme | None":
        """The one to show by default: running, else open for applications, else the last
        ended, else a draft; the latest start first within each."""
        return preferred(list(self.order_by("-start", "-created_at")), on)

    def for_commune(self, commune, on: date | None = None) -> "Programme | None":
        """The programme of a commune on a date, among the opened programmes of its territory
        and those it was a member of: the running one, else the preferred one (one query)."""
        return (
            self.opened()
            .filter(models.Q(epcis=commune.epci_id) | models.Q(memberships__commune=commune))
            .distinct()
            .preferred(on)
        )

    def by_slug(self, slug: str | None) -> "Programme":
        """The programme a command names; without a name, the only one there is.

        Raises ProgrammeChoiceError with a French message listing the slugs otherwise.
        """
        slugs = list(self.order_by("slug").values_list("slug", flat=True))
        if not slugs:
            raise ProgrammeChoiceError(_("Aucun programme chargé : lancez d'abord load_programme."))
        if slug is None and len(slugs) == 1:
            slug = slugs[0]
        if slug is None:
            raise ProgrammeChoiceError(
                _("Plusieurs programmes sont chargés : précisez --programme parmi %(slugs)s.")
                % {"slugs": ", ".join(slugs)}
            )
        programme = self.filter(slug=slug).first()
        if programme is None:
            raise ProgrammeChoiceError(
                _("Programme %(slug)s inconnu ; programmes chargés : %(slugs)s.")
                % {"slug": slug, "slugs": ", ".join(slugs)}
            )
        return programme


def served_epci_sirens() -> list[str]:
    """The EPCIs some programme of the instance serves: where a commune named in a document is
    looked for first."""
    return list(
        Epci.objects.filter(programmes__isnull=False).distinct().values_list("siren", flat=True)
    )


class ProgrammeChoiceError(ValueError):
    """No programme, or several where one must be named; the message says which exist."""


class Programme(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # Copied from the current version's file on each load, so that querysets can select by them.
    start = models.DateField(_("début"), null=True)
    end = models.DateField(_("fin"), null=True)
    # And the digest of the current version's content, so that a page finds the parsed file
    # (`spec`) without reading a version.
    current_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    epcis = models.ManyToManyField(
        Epci, blank=True, related_name="programmes", verbose_name=_("territoire (EPCI)")
    )
    opened_at = models.DateTimeField(_("ouvert le"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        verbose_name=_("programme précédent"),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        indexes = [models.Index(fields=["start", "end"], name="programme_dates")]

    def __str__(self) -> str:
        return self.name

    def status(self, on: date | None = None) -> str:
        """Draft until opened; then open for applications, running, ended by its dates."""
        on = on or timezone.localdate()
        if self.opened_at is None or self.start is None:
            return Status.DRAFT
        if on < self.start:
            return Status.OPEN
        if on <= self.end:
            return Status.RUNNING
        return Status.ENDED

    def get_status_display(self) -> str:
        return Status(self.status()).label

    def current_version(self) -> "ProgrammeVersion":
        return self.versions.order_by("-number").first()

    @property
    def spec_version(self) -> "ProgrammeVersion":
        """The current version, read once per instance (a page asks for the spec several times);
        `current_version()` always reads it afresh."""
        if "_spec_version" not in self.__dict__:
            self.__dict__["_spec_version"] = self.current_version()
        return self.__dict__["_spec_version"]

    @property
    def spec_sha256(self) -> str:
        """The digest of the current version's content (read from the version when the programme
        was stored before the digest was copied)."""
        return self.current_sha256 or self.spec_version.sha256

    @property
    def spec(self) -> ProgrammeFile:
        """The validated content of the current version."""
        return _parsed(self.spec_sha256)


class StaffAssignment(models.Model):
    """An intercommunal staff member (their `staff_role`) serving one programme: they see the
    communes of that programme's territory. Staff without any assignment serve every programme
    of the instance (the operator's own team)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_assignments"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="staff_assignments"
    )
    assigned_at = models.DateTimeField(_("affecté le"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("affectation à un programme")
        verbose_name_plural = _("affectations aux programmes")
        constraints = [models.UniqueConstraint(fields=["user", "programme"], name="one_assignment")]

    def __str__(self) -> str:
        return f"{self.user} — {self.programme.slug}"


class ProgrammeVersion(models.Model):
    """One stored version of a programme file. Never edited: a changed file is a new version."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.TextField(_("contenu du fichier"))
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField(_("fichier d'origine"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_number_per_version")
        ]
        verbose_name = _("version du programme")
        verbose_name_plural = _("versions du programme")

    def __str__(self) -> str:
        return f"{self.programme.slug} v{self.number}"

    @property
    def spec(self) -> ProgrammeFile:
        return _parsed(self.sha256)


class Participation(models.Model):
    """How a commune stands towards a programme before any membership: co-construction, letter."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="participations"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="participations")
    co_construction = models.BooleanField(_("a participé à la co-construction"), default=False)
    commitment_letter_date = models.DateField(
        _("lettre d'engagement signée le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("participation au programme")
        verbose_name_plural = _("participations au programme")
        constraints = [
            models.UniqueConstraint(fields=["programme", "commune"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.programme}"
