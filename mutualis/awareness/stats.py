"""Awareness figures per commune, per module and per month, in a fixed number of queries.

One definition everywhere (pages, CSV, API): a commune's people are those holding an active role
in it; their training is personal (a module passed counts in each commune they work for). A
person counts once, whether trained online, on site or both. Its people present at an on-site
session of the commune count as trained, and, for the modules the session covered, as having
done those modules on site; an attendee without an account counts as one person of the commune,
for that session only (nothing tells that two sign-in sheets name the same person). So a commune
never shows more people trained than people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q
from django.utils import timezone

from mutualis.accounts.models import CommuneRole
from mutualis.awareness.models import (
    Attendee,
    AwarenessModule,
    Campaign,
    OnsiteSession,
    Progress,
)
from mutualis.core.collation import french, sort_key
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune

# A figure about other communes is shown to a commune only when at least this many contribute.
MIN_COMMUNES_FOR_COMPARISON = 3


def programme_communes(programme: Programme | None):
    """The active communes of the programme's territory (every commune without one)."""
    communes = Commune.objects.active().select_related("epci").order_by(french("name"))
    if programme is not None:
        communes = communes.filter(epci__siren__in=programme.spec.programme.epci_sirens)
    return communes


def _mean(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


@dataclass
class CommuneFigures:
    commune: Commune
    people: int = 0
    trained_online: int = 0  # people who passed at least one module
    passes: int = 0  # (person, module) pairs passed
    scores: list[int] = field(default_factory=list)  # best score of each progress with a quiz
    sessions_held: int = 0
    present: int = 0  # attendances at on-site sessions
    trained: int = 0  # people trained online or on site (attendees without account included)
    guests: int = 0  # attendances without an account: people of the commune for that session
    assigned: int = 0  # (person, module) pairs assigned by active campaigns
    assigned_done: int = 0
    traps: Traps = field(default_factory=lambda: Traps())  # « Repérez le piège »

    @property
    def average_score(self) -> int | None:
        return _mean(self.scores)

    @property
    def trained_rate(self) -> int | None:
        return round(100 * self.trained / self.people) if self.people else None

    @property
    def campaign_completion(self) -> int | None:
        return round(100 * self.assigned_done / self.assigned) if self.assigned else None


@dataclass
class Traps:
    """« Repérez le piège » exercises: each person's latest try at each exercise."""

    attempts: int = 0
    found: int = 0  # suspicious parts clicked
    shown: int = 0  # suspicious parts there were to find

    @property
    def share_found(self) -> int | None:
        return round(100 * self.found / self.shown) if self.shown else None

    def add(self, exercise_answers: dict) -> None:
        for answer in exercise_answers.values():
            self.attempts += 1
            self.found += answer.get("found", 0)
            self.shown += answer.get("signs", 0)


@dataclass
class ModuleFigures:
    module: AwarenessModule
    started: int = 0
    passes: int = 0
    scores: list[int] = field(default_factory=list)
    onsite: int = 0

    @property
    def average_score(self) -> int | None:
        return _mean(self.scores)


@dataclass
class PersonRow:
    user: object
    progress: dict[int, Progress]  # module id → the person's latest progress on it
    onsite: set[int]  # module ids done at an on-site session

    def passed(self, module_id: int) -> bool:
        row = self.progress.get(module_id)
        return bool(row and row.passed_at) or module_id in self.onsite


@dataclass
class Figures:
    communes: list[CommuneFigures]
    modules: list[ModuleFigures]
    months: list[str]
    online_by_month: list[int]
    onsite_by_month: list[int]
    score_by_month: list[int | None]
    traps: Traps = field(default_factory=Traps)  # over every person of these communes, once


def _people(communes: list[Commune]) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    rows = CommuneRole.objects.active().filter(commune__in=communes, user__is_active=True)
    for commune_id, user_id in rows.values_list("commune_id", "user_id"):
        people[commune_id].add(user_id)
    return people


def figures(communes, *, months: int = 12, today: date | None = None) -> Figures:
    """Figures over the given communes (their people, their sessions). Six queries."""
    communes = list(communes)
    modules = list(AwarenessModule.objects.exclude(current_version=None).order_by("order", "slug"))
    people = _people(communes)
    everyone = set().union(*people.values()) if people else set()
    progress = list(
        Progress.objects.filter(user__in=everyone).values(
            "user_id",
            "module_version__module_id",
            "best_percentage",
            "passed_at",
            "quiz_attempts",
            "exercise_answers",
        )
    )
    attendees = list(
        Attendee.objects.filter(
            present=True, session__commune__in=communes, session__cancelled_at__isnull=True
        ).values("id", "user_id", "session_id", "session__commune_id", "session__starts_at")
    )
    session_modules: dict[int, set[int]] = defaultdict(set)
    session_ids = {a["session_id"] for a in attendees}
    through = OnsiteSession.modules.through
    for session_id, module_id in through.objects.filter(onsitesession__in=session_ids).values_list(
        "onsitesession_id", "awarenessmodule_id"
    ):
        session_modules[session_id].add(module_id)

    passed: dict[int, set[int]] = defaultdict(set)
    for row in progress:
        if row["passed_at"]:
            passed[row["user_id"]].add(row["module_version__module_id"])
    onsite_by_user: dict[int, set[int]] = defaultdict(set)
    for a in attendees:
        if a["user_id"]:
            onsite_by_user[a["user_id"]] |= session_modules[a["session_id"]]

    by_commune = {c.pk: CommuneFigures(commune=c) for c in communes}
    for commune_id, members in people.items():
        fig = by_commune[commune_id]
        fig.people = len(members)
        fig.trained_online = sum(bool(passed[u]) for u in members)
        fig.passes = sum(len(passed[u]) for u in members)
        for row in progress:
            if row["user_id"] in members and row["quiz_attempts"]:
                fig.scores.append(row["best_percentage"])
            if row["user_id"] in members:
                fig.traps.add(row["exercise_answers"])
    sessions_by_commune: dict[int, set[int]] = defaultdict(set)
    trained_onsite: dict[int, set] = defaultdict(set)
    for a in attendees:
        commune_id = a["session__commune_id"]
        by_commune[commune_id].present += 1
        sessions_by_commune[commune_id].add(a["session_id"])
        if a["user_id"] is None:
            by_commune[commune_id].guests += 1
            trained_onsite[commune_id].add(("guest", a["id"]))
        elif a["user_id"] in people.get(commune_id, ()):
            trained_onsite[commune_id].add(("user", a["user_id"]))
        # Someone with an account but no role in this commune is not one of its people.
    for commune_id, fig in by_commune.items():
        fig.sessions_held = len(sessions_by_commune[commune_id])
        fig.people += fig.guests
        online = {("user", u) for u in people.get(commune_id, set()) if passed[u]}
        fig.trained = len(online | trained_onsite[commune_id])

    _campaign_completion(by_commune, people, passed, onsite_by_user)

    module_figures = {m.pk: ModuleFigures(module=m) for m in modules}
    for row in progress:
        fig = module_figures.get(row["module_version__module_id"])
        if fig is None:
            continue
        fig.started += 1
        if row["passed_at"]:
            fig.passes += 1
        if row["quiz_attempts"]:
            fig.scores.append(row["best_percentage"])
    for a in attendees:
        for module_id in session_modules[a["session_id"]]:
            if module_id in module_figures:
                module_figures[module_id].onsite += 1

    labels, keys = _months(today or timezone.localdate(), months)
    online = dict.fromkeys(keys, 0)
    onsite = dict.fromkeys(keys, 0)
    scores: dict[tuple[int, int], list[int]] = {key: [] for key in keys}
    for row in progress:
        if row["passed_at"]:
            at = timezone.localtime(row["passed_at"])
            key = (at.year, at.month)
            if key in online:
                online[key] += 1
                scores[key].append(row["best_percentage"])
    for a in attendees:
        at = timezone.localtime(a["session__starts_at"])
        if (at.year, at.month) in onsite:
            onsite[(at.year, at.month)] += 1
    traps = Traps()
    for row in progress:
        traps.add(row["exercise_answers"])
    return Figures(
        traps=traps,
        communes=sorted(by_commune.values(), key=lambda f: sort_key(f.commune.name)),
        modules=list(module_figures.values()),
        months=labels,
        online_by_month=[online[k] for k in keys],
        onsite_by_month=[onsite[k] for k in keys],
        score_by_month=[_mean(scores[k]) for k in keys],
    )


def _campaign_completion(by_commune, people, passed, onsite_by_user) -> None:
    ids = list(by_commune)
    # One row per (campaign, EPCI of its programme's territory): « every commune » is every
    # commune of that territory, read in the same query.
    rows = list(
        Campaign.objects.active()
        .filter(
            Q(scope="all", programme__epcis__communes__in=ids)
            | Q(communes__in=ids)
            | Q(commune__in=ids)
        )
        .annotate(territory_epci=F("programme__epcis"))
        .distinct()
        .prefetch_related("modules", "communes", "agents")
    )
    territory: dict[int, set[int]] = {}
    campaigns = {}
    for row in rows:
        territory.setdefault(row.pk, set()).add(row.territory_epci)
        campaigns.setdefault(row.pk, row)
    for campaign in campaigns.values():
        module_ids = {m.pk for m in campaign.modules.all()}
        if campaign.scope == "all":
            targets = {
                cid: people.get(cid, set())
                for cid, fig in by_commune.items()
                if fig.commune.epci_id in territory[campaign.pk]
            }
        elif campaign.scope == "communes":
            targets = {
                c.pk: people.get(c.pk, set()) for c in campaign.communes.all() if c.pk in by_commune
            }
        else:
            chosen = {a.pk for a in campaign.agents.all()}
            cid = campaign.commune_id
            targets = {cid: people.get(cid, set()) & chosen} if cid in by_commune else {}
        for commune_id, members in targets.items():
            fig = by_commune[commune_id]
            for user_id in members:
                done = passed[user_id] | onsite_by_user[user_id]
                fig.assigned += len(module_ids)
                fig.assigned_done += len(module_ids & done)


def _months(today: date, count: int) -> tuple[list[str], list[tuple[int, int]]]:
    keys = []
    year, month = today.year, today.month
    for _ in range(count):
        keys.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    keys.reverse()
    return [f"{m:02d}/{y % 100:02d}" for y, m in keys], keys


@dataclass
class Comparison:
    """Figures of the other communes, shown to one commune only as a whole."""

    communes: int
    average_score: int | None
    trained_rate: int | None
    traps_share_found: int | None = None


def comparison_for(commune: Commune) -> Comparison | None:
    """The other communes' figures together; None when too few communes have results to hide
    each one among the others."""
    others = Commune.objects.filter(user_roles__ended_at__isnull=True).exclude(pk=commune.pk)
    result = figures(others.distinct(), months=1)
    with_results = [f for f in result.communes if f.trained or f.scores or f.traps.attempts]
    if len(with_results) < MIN_COMMUNES_FOR_COMPARISON:
        return None
    scores = [s for f in with_results for s in f.scores]
    people = sum(f.people for f in result.communes)
    trained = sum(f.trained for f in result.communes)
    return Comparison(
        communes=len(with_results),
        average_score=_mean(scores),
        trained_rate=round(100 * trained / people) if people else None,
        traps_share_found=result.traps.share_found,
    )


def people_rows(commune: Commune, members) -> list[PersonRow]:
    """Each person of a commune with their latest progress per module. Two queries."""
    members = list(members)
    latest: dict[int, dict[int, Progress]] = defaultdict(dict)
    rows = (
        Progress.objects.filter(user__in=members)
        .select_related("module_version")
        .order_by("module_version__version")
    )
    for row in rows:
        current = latest[row.user_id].get(row.module_version.module_id)
        # Keep a passed result rather than a newer version only just started.
        if current is None or not current.passed_at or row.passed_at:
            latest[row.user_id][row.module_version.module_id] = row
    onsite: dict[int, set[int]] = defaultdict(set)
    through = OnsiteSession.modules.through
    attended = Attendee.objects.filter(
        present=True, user__in=members, session__cancelled_at__isnull=True
    ).values_list("user_id", "session_id")
    attended = list(attended)
    covered: dict[int, set[int]] = defaultdict(set)
    for session_id, module_id in through.objects.filter(
        onsitesession__in={s for _u, s in attended}
    ).values_list("onsitesession_id", "awarenessmodule_id"):
        covered[session_id].add(module_id)
    for user_id, session_id in attended:
        onsite[user_id] |= covered[session_id]
    return [PersonRow(user=u, progress=latest[u.pk], onsite=onsite[u.pk]) for u in members]
