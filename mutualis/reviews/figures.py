"""The figures of a review, gathered from every capability into one frozen snapshot.

Each capability that has something to report owns a `review.py` with a `figures(ctx)` function
returning a `Section`; SECTIONS lists them in the order the review shows them. A figure carries how
many communes stand behind it, so the commune version can hide an aggregate that would reveal one
commune, and each commune's own value so that commune can see it.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from mutualis.core.french import exact

MIN_COMMUNES_BEHIND_AGGREGATE = 3


@dataclass(frozen=True)
class ReviewContext:
    programme: object
    start: date
    end: date

    @property
    def end_moment(self) -> datetime:
        """The last instant of the period, for data stamped with a time."""
        return timezone.make_aware(datetime.combine(self.end, time.max))


@dataclass
class Figure:
    """One figure of a review. Numbers are exact (`Decimal` or `int`: a float given here is taken
    by its shortest repr, 10.4 → Decimal("10.4")), and each carries its unit (€, jours, %,
    communes…)."""

    key: str
    label: str
    value: Decimal | int | str | None
    unit: str = ""
    communes: int | None = None  # how many communes stand behind this aggregate, if it is one
    by_commune: dict[str, Decimal | int | str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.value = exact(self.value)
        self.by_commune = {k: exact(v) for k, v in self.by_commune.items()}


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    categories: list[str]
    series: dict[str, list[Decimal | int | None]]
    unit: str = ""

    def __post_init__(self) -> None:
        self.series = {k: [exact(v) for v in values] for k, values in self.series.items()}


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure]
    charts: list[Chart] = field(default_factory=list)
    note: str = ""


def _jsonable(value):
    # JSON keeps numbers as floats; a figure's Decimal has few digits, so its float's shortest
    # repr is that Decimal again (`core.french.exact` reads it back).
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _sections() -> list[Callable[[ReviewContext], Section]]:
    from mutualis.awareness import review as awareness_review
    from mutualis.contributions import review as contributions_review
    from mutualis.cyber import review as cyber_review
    from mutualis.information import review as information_review
    from mutualis.membership import review as membership_review
    from mutualis.purchasing import review as purchasing_review
    from mutualis.support import review as support_review

    return [
        membership_review.figures,
        contributions_review.figures,
        cyber_review.figures,
        awareness_review.figures,
        information_review.figures,
        support_review.figures,
        purchasing_review.figures,
    ]


def compute_snapshot(ctx: ReviewContext) -> dict:
    """Every section's figures for the period, as plain JSON to be frozen in the Review."""
    sections = [asdict(builder(ctx)) for builder in _sections()]
    return _jsonable({"sections": sections})
