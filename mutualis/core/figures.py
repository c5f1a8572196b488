"""The contract of a review's figures: what each capability's `review.py` returns.

It lives in core so that capabilities build their section without importing `reviews`, which
collects them (`reviews.figures.compute_snapshot`). A figure carries how many communes stand behind
it, so the commune version can hide an aggregate that would reveal one commune, and each commune's
own value so that commune can see it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from mutualis.core.french import exact


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
