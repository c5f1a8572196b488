"""Programmes, their versioned files, and each commune's participation in a programme."""

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.programme.schema import ProgrammeFile, parse_programme
from mutualis.territory.models import Commune


@lru_cache(maxsize=32)
def _parsed(sha256: str, content: str) -> ProgrammeFile:
    return parse_programme(content, source=sha256[:12])


class ProgrammeQuerySet(models.QuerySet):
    def current(self) -> "Programme | None":
        """The programme in force: the one whose file was loaded last (of this queryset's)."""
        # The programme with its current version in one query: most pages read both.
        latest = self.order_by("-created_at").values("pk")[:1]
        version = (
            ProgrammeVersion.objects.using(self.db)
            .filter(programme_id=models.Subquery(latest))
            .select_related("programme")
            .order_by("-number")
            .first()
        )
        if version is None:  # no programme, or one without a version yet
            return self.order_by("-created_at").first()
        programme = version.programme
        programme.__dict__["_spec_version"] = version  # what `spec_version` would read next
        return programme


class Programme(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=50, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

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
    def spec(self) -> ProgrammeFile:
        """The validated content of the current version."""
        return self.spec_version.spec


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
        return _parsed(self.sha256, self.content)


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
