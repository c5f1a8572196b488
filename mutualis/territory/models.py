"""The territory: intercommunalities (EPCI), their member communes and legal populations."""

from django.core.cache import cache
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from mutualis.core.collation import french
from mutualis.core.kept import generation, next_generation


class Epci(models.Model):
    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature juridique"), max_length=10, blank=True)
    financing = models.CharField(_("mode de financement"), max_length=10, blank=True)
    is_active = models.BooleanField(_("en activité"), default=True)

    class Meta:
        ordering = [french("name")]
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        territory_changed()  # its name shows on its communes' pages (the admin, a test's data)


# The territory's generation in Django's cache: part of the key of what is kept from the communes
# (their number here, the coordinators' dashboard table, a commune's identity and populations on its
# page), moved on by every write of them (`territory_changed`: a commune, an EPCI or a population
# saved, the territory import).
GENERATION_KEY = "territory:generation"
# At most five minutes: other processes of a server with a per-process cache see a new count then.
ACTIVE_COUNT_SECONDS = 300


def territory_generation() -> int:
    return generation(GENERATION_KEY)


def territory_changed() -> None:
    """Forget what is kept from the communes: called by every writer of communes (bulk writers
    past `Commune.save()` included), now and again when the transaction commits."""
    next_generation(GENERATION_KEY)


def active_commune_count() -> int:
    """How many communes are active (France: about 35,000). The coordinators' dashboard shows it
    above each page of the whole country, and counting them costs the database about a
    millisecond each time: kept in Django's cache under the territory's generation, five minutes
    at most."""
    return cache.get_or_set(
        f"territory:active-commune-count:{territory_generation()}",
        lambda: Commune.objects.active().count(),
        ACTIVE_COUNT_SECONDS,
    )


class CommuneQuerySet(models.QuerySet):
    def active(self) -> "CommuneQuerySet":
        return self.filter(is_active=True)

    def search(self, text: str) -> "CommuneQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(insee_code__startswith=text))


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    name = models.CharField(_("nom"), max_length=200, db_index=True)
    department = models.CharField(_("département"), max_length=3, blank=True)
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("EPCI"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communes",
    )
    is_active = models.BooleanField(
        _("commune actuelle"),
        default=True,
        help_text=_("Une commune disparue (fusion) reste enregistrée mais inactive."),
    )
    has_it_department = models.BooleanField(_("dispose d'une DSI"), default=False)
    council_seats = models.PositiveSmallIntegerField(_("sièges au conseil"), null=True, blank=True)
    town_hall_address = models.TextField(_("adresse de la mairie"), blank=True)
    mayor_name = models.CharField(_("maire"), max_length=200, blank=True)
    # The latest legal population, kept by the importer so that lists sort and page on it
    # without a subquery per row; the history is in Population.
    population_total = models.PositiveIntegerField(_("population totale"), null=True, blank=True)
    population_vintage = models.PositiveSmallIntegerField(_("millésime"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = [french("name")]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # Lists of active communes, counted and paged by name: the count reads this narrow index
        # instead of every row of France, and a page is its first 50 entries. The dashboard's other
        # sorts (INSEE code, population either way, ties by name) page through their own: without
        # them SQLite sorted every commune of France on each view (27 ms for a page in the middle).
        # Names in French order (core.collation): the indexes hold the collated name.
        indexes = [
            models.Index(F("is_active"), french("name"), name="commune_active_name"),
            models.Index(fields=["is_active", "insee_code"], name="commune_active_insee"),
            models.Index(
                F("is_active"),
                F("population_total"),
                french("name"),
                name="commune_active_population",
            ),
            models.Index(
                F("is_active"),
                F("population_total").desc(),
                french("name"),
                name="commune_active_population_desc",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        territory_changed()  # created, renamed, merged or revived (the admin, a test's data)

    def populations_total_by_vintage(self) -> dict[int, int]:
        """Vintage → population totale, for the contribution schedule engine."""
        return {p.vintage: p.total for p in self.populations.all() if p.total is not None}

    def population_municipale_on(self, year: int) -> int | None:
        """Population municipale of the latest vintage not after `year`, or None."""
        best = None
        for p in self.populations.all():
            if (
                p.vintage <= year
                and p.municipal is not None
                and (best is None or p.vintage > best.vintage)
            ):
                best = p
        return best.municipal if best else None


class Population(models.Model):
    """A legal population of one commune for one vintage (millésime)."""

    class Source(models.TextChoices):
        EPCI_FILE = "epci", _("fichier des EPCI (populations légales)")
        COMMUNES_FILE = "communes", _("fichier des communes (population municipale seule)")
        CSV = "csv", _("import CSV")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="populations")
    vintage = models.PositiveSmallIntegerField(_("millésime"))
    total = models.PositiveIntegerField(_("population totale"), null=True, blank=True)
    municipal = models.PositiveIntegerField(_("population municipale"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["commune", "vintage"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "vintage"], name="one_population_per_vintage"
            )
        ]
        verbose_name = _("population légale")
        verbose_name_plural = _("populations légales")

    def __str__(self) -> str:
        return f"{self.commune_id} {self.vintage}: {self.total}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        territory_changed()  # a commune's page shows its populations (the admin, a test's data)


class TerritoryImport(models.Model):
    """One run of the territory importer that changed something, for the record."""

    at = models.DateTimeField(auto_now_add=True)
    vintage = models.PositiveSmallIntegerField(_("millésime"))
    scope = models.CharField(_("périmètre"), max_length=20, blank=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("import du territoire")
        verbose_name_plural = _("imports du territoire")

    def __str__(self) -> str:
        return f"{self.vintage} {self.scope}"
