"""The aggregated need of a campaign (by item, by commune) and the roadmap sums: one function
computes each table, and the page, the CSV and the XLSX all render what it returns.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mutualis.core.collation import sort_key
from mutualis.purchasing.enums import Category, RoadmapStatus
from mutualis.purchasing.models import AnswerLine, Campaign, CampaignAnswer


@dataclass
class CommuneRow:
    insee_code: str
    name: str
    quantities: list[int]
    answered_at: object
    comment: str


@dataclass
class ItemRow:
    label: str
    unit: str
    constraints: str
    total: int
    communes: int


@dataclass
class CampaignTable:
    campaign: Campaign
    items: list = field(default_factory=list)
    by_commune: list[CommuneRow] = field(default_factory=list)
    by_item: list[ItemRow] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [row.total for row in self.by_item]

    def commune_header(self) -> list[str]:
        return [_("Commune"), _("Code INSEE")] + [f"{i.label} ({i.unit})" for i in self.items]

    def commune_rows(self) -> list[list]:
        """The by-commune matrix, then the totals line: what the page and both exports show."""
        rows = [[r.name, r.insee_code, *r.quantities] for r in self.by_commune]
        rows.append([_("Total"), "", *self.totals])
        return rows

    def item_header(self) -> list[str]:
        return [_("Article"), _("Unité"), _("Contraintes"), _("Quantité totale"), _("Communes")]

    def item_rows(self) -> list[list]:
        return [[r.label, r.unit, r.constraints, r.total, r.communes] for r in self.by_item]


def campaign_table(campaign: Campaign, *, communes=None) -> CampaignTable:
    """Quantities per commune and per item; `communes` narrows to some communes (their own)."""
    items = list(campaign.items.all())
    answers = CampaignAnswer.objects.filter(campaign=campaign).select_related("commune")
    if communes is not None:
        answers = answers.filter(commune__in=communes)
    answers = sorted(answers, key=lambda a: sort_key(a.commune.name))
    lines = AnswerLine.objects.filter(answer__in=[a.pk for a in answers]).values_list(
        "answer_id", "item_id", "quantity"
    )
    quantity: dict[tuple[int, int], int] = {}
    for answer_id, item_id, value in lines:
        quantity[(answer_id, item_id)] = value
    table = CampaignTable(campaign=campaign, items=items)
    for answer in answers:
        table.by_commune.append(
            CommuneRow(
                insee_code=answer.commune.insee_code,
                name=answer.commune.name,
                quantities=[quantity.get((answer.pk, item.pk), 0) for item in items],
                answered_at=answer.updated_at,
                comment=answer.comment,
            )
        )
    for index, item in enumerate(items):
        column = [row.quantities[index] for row in table.by_commune]
        table.by_item.append(
            ItemRow(
                label=item.label,
                unit=item.unit,
                constraints=item.constraints,
                total=sum(column),
                communes=sum(1 for q in column if q > 0),
            )
        )
    return table


@dataclass
class RoadmapSummary:
    years: list[int]
    categories: list[tuple[str, str]]  # (code, label) of categories with something planned
    cells: dict[tuple[int, str], Decimal]
    by_year: dict[int, Decimal]
    by_category: dict[str, Decimal]
    total: Decimal
    communes: int

    def rows(self) -> list[list]:
        return [
            [
                label,
                *[self.cells.get((y, code), Decimal(0)) for y in self.years],
                self.by_category[code],
            ]
            for code, label in self.categories
        ]


def roadmap_summary(items) -> RoadmapSummary:
    """Estimated cost of planned and done purchases, summed by year and category."""
    cells: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    communes = set()
    for year, category, cost, commune_id in items.exclude(
        status=RoadmapStatus.CANCELLED
    ).values_list("year", "category", "estimated_cost", "commune_id"):
        cells[(year, category)] += cost
        communes.add(commune_id)
    years = sorted({y for y, _c in cells})
    present = {c for _y, c in cells}
    categories = [(c.value, str(c.label)) for c in Category if c.value in present]
    cells = dict(cells)  # no more defaults: a missing cell is a zero, not a new entry
    zero = Decimal(0)
    by_year = {y: sum((cells.get((y, c), zero) for c, _l in categories), zero) for y in years}
    by_category = {c: sum((cells.get((y, c), zero) for y in years), zero) for c, _l in categories}
    return RoadmapSummary(
        years=years,
        categories=categories,
        cells=cells,
        by_year=by_year,
        by_category=by_category,
        total=sum(by_year.values(), Decimal(0)),
        communes=len(communes),
    )
