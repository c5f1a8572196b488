"""Workflows on the territory: importing the Etalab files, editing commune attributes."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from mutualis.core.bulk import analyze, insert_rows
from mutualis.core.french import de_name
from mutualis.territory.etalab import CommuneRecord, EpciRecord, EtalabFormatError, MemberRecord
from mutualis.territory.models import (
    Commune,
    Epci,
    Population,
    TerritoryImport,
    territory_changed,
)

Progress = Callable[[str, int, int], None]
BATCH = 2000
# Plain strings (not the TextChoices members) for rows handed to the driver as they are.
EPCI_FILE = str(Population.Source.EPCI_FILE.value)
COMMUNES_FILE = str(Population.Source.COMMUNES_FILE.value)
# A vintage merges a few dozen of France's 35 000 communes: a file that deactivates more than this
# share of the active ones is empty or truncated, unless the operator says otherwise.
MAX_DEACTIVATED_SHARE = 0.02


@dataclass
class ImportSummary:
    vintage: int
    scope: str
    older_vintage: bool = False
    epcis_created: int = 0
    epcis_updated: int = 0
    communes_created: int = 0
    communes_updated: int = 0
    communes_deactivated: int = 0
    populations_created: int = 0
    populations_updated: int = 0
    skipped_unknown_communes: int = 0
    communes_active_before: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.epcis_created,
                self.epcis_updated,
                self.communes_created,
                self.communes_updated,
                self.communes_deactivated,
                self.populations_created,
                self.populations_updated,
            )
        )


def _noop(stage: str, done: int, total: int) -> None:
    return None


def import_territory(
    *,
    communes: list[CommuneRecord],
    epcis: list[EpciRecord],
    vintage: int,
    epci_siren: str | None = None,
    progress: Progress = _noop,
    allow_deactivations: bool = False,
) -> ImportSummary:
    """Bring the database in line with one vintage of the Etalab files, in one transaction.

    A vintage older than the newest loaded one only adds its populations. Otherwise EPCI and
    current communes are created or updated, and communes of the scope that are gone from the file
    (merged) are marked inactive, never deleted. Running it twice writes nothing the second time.
    A file that would deactivate more than MAX_DEACTIVATED_SHARE of the scope's active communes
    (an empty or truncated file) is refused, nothing written, unless `allow_deactivations`.
    """
    if epci_siren:
        epcis = [e for e in epcis if e.siren == epci_siren]
        if not epcis:
            raise EtalabFormatError(
                _("L'EPCI de SIREN %(siren)s est absent du fichier des EPCI.")
                % {"siren": epci_siren}
            )
        wanted = {m.insee_code for m in epcis[0].members}
        communes = [c for c in communes if c.insee_code in wanted]
    members: dict[str, tuple[str, MemberRecord]] = {}
    for epci in epcis:
        for member in epci.members:
            members[member.insee_code] = (epci.siren, member)

    summary = ImportSummary(vintage=vintage, scope=epci_siren or "France")
    newest = Population.objects.aggregate(v=Max("vintage"))["v"]
    summary.older_vintage = newest is not None and vintage < newest
    with transaction.atomic():
        if not summary.older_vintage:
            epci_ids = _upsert_epcis(epcis, summary)
            _upsert_communes(communes, members, epci_ids, epci_siren, vintage, summary, progress)
            _check_deactivations(summary, allow=allow_deactivations)
        _upsert_populations(communes, members, vintage, summary, progress)
        if not summary.older_vintage:
            _refresh_latest_population(vintage)
        if summary.changed:
            TerritoryImport.objects.create(
                vintage=vintage, scope=summary.scope, summary=asdict(summary)
            )
            territory_changed()
    if summary.changed:
        analyze(Epci, Commune, Population)  # thousands of fresh rows: statistics for the planner
    return summary


def _upsert_epcis(epcis: list[EpciRecord], summary: ImportSummary) -> dict[str, int]:
    existing = {e.siren: e for e in Epci.objects.all()}
    to_create, to_update = [], []
    for record in epcis:
        epci = existing.get(record.siren)
        values = {
            "name": record.name,
            "kind": record.kind,
            "financing": record.financing,
            "is_active": True,
        }
        if epci is None:
            to_create.append(Epci(siren=record.siren, **values))
        elif any(getattr(epci, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(epci, k, v)
            to_update.append(epci)
    Epci.objects.bulk_create(to_create, batch_size=BATCH)
    Epci.objects.bulk_update(
        to_update, ["name", "kind", "financing", "is_active"], batch_size=BATCH
    )
    summary.epcis_created, summary.epcis_updated = len(to_create), len(to_update)
    return dict(Epci.objects.values_list("siren", "id"))


def _upsert_communes(
    communes: list[CommuneRecord],
    members: dict[str, tuple[str, MemberRecord]],
    epci_ids: dict[str, int],
    epci_siren: str | None,
    vintage: int,
    summary: ImportSummary,
    progress: Progress,
) -> None:
    """Create and update the communes of the file; mark the scope's others inactive.

    A new commune gets its latest population (this vintage's, the newest) as it is inserted, so
    that `_refresh_latest_population` has nothing to rewrite after a first import."""
    fields = ["name", "siren", "department", "epci_id", "is_active"]
    existing = {row[0]: row for row in Commune.objects.values_list("insee_code", "pk", *fields)}
    to_create, to_update = [], []
    total = len(communes)
    for index, record in enumerate(communes, 1):
        membership = members.get(record.insee_code)
        values = (
            record.name,
            record.siren,
            record.department,
            epci_ids.get(membership[0]) if membership else None,
            True,
        )
        current = existing.get(record.insee_code)
        if current is None:
            population = _population_values(record, membership)
            latest = (None, None) if population is None else (population[0], vintage)
            to_create.append((record.insee_code, *values, *latest))
        elif current[2:] != values:
            to_update.append(Commune(pk=current[1], **dict(zip(fields, values, strict=True))))
        if index % 5000 == 0 or index == total:
            progress("communes", index, total)
    insert_rows(
        Commune,
        ["insee_code", *fields, "population_total", "population_vintage"],
        to_create,
    )
    Commune.objects.bulk_update(to_update, fields, batch_size=BATCH)
    summary.communes_created, summary.communes_updated = len(to_create), len(to_update)

    current = {c.insee_code for c in communes}
    scope = Commune.objects.filter(is_active=True)
    if epci_siren:
        scope = scope.filter(epci_id=epci_ids.get(epci_siren))
    active = list(scope.values_list("pk", "insee_code"))
    gone = [pk for pk, code in active if code not in current]
    summary.communes_deactivated = Commune.objects.filter(pk__in=gone).update(is_active=False)
    summary.communes_active_before = len(active)


def _check_deactivations(summary: ImportSummary, *, allow: bool) -> None:
    """Raise (rolling the import back) if it deactivates more than a small share of the scope."""
    deactivated, active = summary.communes_deactivated, summary.communes_active_before
    if allow or not deactivated or deactivated <= MAX_DEACTIVATED_SHARE * active:
        return
    raise EtalabFormatError(
        _(
            "Ce fichier désactiverait %(count)s communes sur les %(active)s actives "
            "(%(scope)s), plus de %(share)s %% : fichier vide ou tronqué ? Si ces communes ont "
            "vraiment disparu, relancez avec --allow-deactivations."
        )
        % {
            "count": deactivated,
            "active": active,
            "scope": summary.scope,
            "share": f"{MAX_DEACTIVATED_SHARE * 100:g}",
        }
    )


def _population_values(
    record: CommuneRecord, membership: tuple[str, MemberRecord] | None
) -> tuple[int | None, int | None, str] | None:
    """(total, municipal, source) of one commune in this file, or None when it gives neither:
    the EPCI file has both figures, the communes file only the municipal one."""
    if membership:
        values = (
            membership[1].population_total,
            membership[1].population_municipal,
            EPCI_FILE,
        )
    else:
        values = (None, record.population_municipal, COMMUNES_FILE)
    if values[0] is None and values[1] is None:
        return None
    return values


def _upsert_populations(
    communes: list[CommuneRecord],
    members: dict[str, tuple[str, MemberRecord]],
    vintage: int,
    summary: ImportSummary,
    progress: Progress,
) -> None:
    ids = dict(Commune.objects.values_list("insee_code", "id"))
    existing = {
        p[0]: p[1:]
        for p in Population.objects.filter(vintage=vintage).values_list(
            "commune_id", "id", "total", "municipal", "source"
        )
    }
    to_create, to_update = [], []
    total = len(communes)
    for index, record in enumerate(communes, 1):
        commune_id = ids.get(record.insee_code)
        if commune_id is None:
            summary.skipped_unknown_communes += 1
            continue
        values = _population_values(record, members.get(record.insee_code))
        if values is None:
            continue
        current = existing.get(commune_id)
        if current is None:
            to_create.append((commune_id, vintage, *values))
        elif tuple(current[1:]) != values:
            to_update.append(
                Population(pk=current[0], total=values[0], municipal=values[1], source=values[2])
            )
        if index % 5000 == 0 or index == total:
            progress("populations", index, total)
    insert_rows(Population, ["commune_id", "vintage", "total", "municipal", "source"], to_create)
    Population.objects.bulk_update(to_update, ["total", "municipal", "source"], batch_size=BATCH)
    summary.populations_created, summary.populations_updated = len(to_create), len(to_update)
    if summary.skipped_unknown_communes and summary.older_vintage:
        summary.notes.append(
            _(
                "%(count)s communes du millésime %(vintage)s sont absentes de la base : un "
                "millésime ancien n'ajoute que des populations."
            )
            % {"count": summary.skipped_unknown_communes, "vintage": vintage}
        )


def _refresh_latest_population(vintage: int) -> None:
    """Keep Commune.population_total equal to the newest vintage's figure.

    The stale rows are found in Python, then fixed by one UPDATE with a subquery: a bulk_update
    of the ~35,000 communes of France builds a CASE of 35,000 branches and took 9 s of a 15 s
    import (bench/run.py, figure "import France"). Nothing stale, nothing written.
    """
    latest = dict(Population.objects.filter(vintage=vintage).values_list("commune_id", "total"))
    candidates = Commune.objects.filter(
        Q(population_vintage__isnull=True) | Q(population_vintage__lte=vintage),
        pk__in=Population.objects.filter(vintage=vintage).values("commune_id"),
    )
    stale = any(
        (total, seen_vintage) != (latest[pk], vintage)
        for pk, total, seen_vintage in candidates.values_list(
            "pk", "population_total", "population_vintage"
        )
    )
    if stale:
        candidates.update(
            population_total=Subquery(
                Population.objects.filter(commune=OuterRef("pk"), vintage=vintage).values("total")[
                    :1
                ]
            ),
            population_vintage=vintage,
        )


def apply_commune_attributes(*, rows: list, by) -> int:
    """Apply parsed attribute rows in one transaction; an unknown commune refuses the whole file."""
    from mutualis.core import audit
    from mutualis.territory.attributes import CsvFormatError

    fields = ("has_it_department", "council_seats", "town_hall_address", "mayor_name")
    communes = Commune.objects.in_bulk([r.insee_code for r in rows], field_name="insee_code")
    changed = 0
    with transaction.atomic():
        for row in rows:
            commune = communes.get(row.insee_code)
            if commune is None:
                raise CsvFormatError(
                    _(
                        "ligne %(line)s, colonne insee_code : la commune %(code)s n'est pas dans "
                        "le territoire chargé."
                    )
                    % {"line": row.line, "code": row.insee_code}
                )
            changes = {}
            for name in fields:
                value = getattr(row, name)
                if value is not None and getattr(commune, name) != value:
                    changes[name] = [getattr(commune, name), value]
                    setattr(commune, name, value)
            if changes:
                commune.save(update_fields=list(changes))
                audit.record(
                    action="commune.attributes_changed",
                    obj=commune,
                    by=by,
                    summary=_("Attributs %(of_commune)s modifiés")
                    % {"of_commune": de_name(commune.name)},
                    commune_insee=commune.insee_code,
                    changes={k: [str(a), str(b)] for k, (a, b) in changes.items()},
                )
                changed += 1
    return changed
