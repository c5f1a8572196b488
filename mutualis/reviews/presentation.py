"""Turn frozen review snapshots into what a page, a PDF or a CSV shows, for one audience.

The programme version (staff) shows every figure. The commune version shows programme figures and
that commune's own values, never another commune's, and hides an aggregate with fewer than three
communes behind it, which could reveal one of them.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from mutualis.core.charts import bar_chart, line_chart
from mutualis.core.french import exact, format_figure
from mutualis.reviews.figures import MIN_COMMUNES_BEHIND_AGGREGATE
from mutualis.reviews.models import Review
from mutualis.reviews.periods import period_name


@dataclass
class FigureRow:
    key: str
    label: str
    value: object
    unit: str
    previous: object = None
    delta: Decimal | int | None = None
    own: object = None
    hidden: bool = False


@dataclass
class SectionView:
    key: str
    title: str
    rows: list[FigureRow]
    charts: list = field(default_factory=list)
    note: str = ""


def _hidden(figure: dict, commune_insee: str | None) -> bool:
    count = figure.get("communes")
    return (
        commune_insee is not None
        and count is not None
        and 0 < count < MIN_COMMUNES_BEHIND_AGGREGATE
    )


def _index(snapshot: dict | None) -> dict[tuple[str, str], dict]:
    if not snapshot:
        return {}
    return {(s["key"], f["key"]): f for s in snapshot.get("sections", []) for f in s["figures"]}


def sections_for(review: Review, *, commune_insee: str | None = None) -> list[SectionView]:
    previous = review.previous()
    before = _index(previous.figures if previous else None)
    views = []
    for section in review.figures.get("sections", []):
        rows = []
        for figure in section["figures"]:
            hidden = _hidden(figure, commune_insee)
            value = exact(figure["value"])
            if value is None and commune_insee is None:
                continue  # a per-commune fact only: shown in each commune's own version
            prior = before.get((section["key"], figure["key"]))
            prior_value = (
                None if prior is None or _hidden(prior, commune_insee) else exact(prior["value"])
            )
            delta = None
            # Exact arithmetic: the snapshot's numbers are read back as Decimals (10.4, never
            # 10.399999999999999), so a change is exact too.
            if (
                isinstance(value, int | Decimal)
                and isinstance(prior_value, int | Decimal)
                and not isinstance(value, bool)
                and not hidden
            ):
                delta = value - prior_value
            rows.append(
                FigureRow(
                    key=figure["key"],
                    label=figure["label"],
                    value=None if hidden else value,
                    unit=figure.get("unit", ""),
                    previous=prior_value,
                    delta=delta,
                    own=exact(figure.get("by_commune", {}).get(commune_insee))
                    if commune_insee
                    else None,
                    hidden=hidden,
                )
            )
        if commune_insee is not None:
            rows = [r for r in rows if r.value is not None or r.own is not None or r.hidden]
        any_hidden = any(r.hidden for r in rows)
        charts = []
        if not any_hidden:
            for chart in section.get("charts", []):
                draw = bar_chart if chart["kind"] == "bar" else line_chart
                charts.append(
                    draw(
                        chart["categories"],
                        chart["series"],
                        title=chart["title"],
                        unit=chart.get("unit", ""),
                    )
                )
        views.append(
            SectionView(section["key"], section["title"], rows, charts, section.get("note", ""))
        )
    return views


def trend_chart(review: Review, *, commune_insee: str | None = None, limit: int = 4):
    """Key numeric figures across every review up to this one, as a line chart."""
    reviews = list(
        Review.objects.filter(programme=review.programme, number__lte=review.number).order_by(
            "number"
        )
    )
    if commune_insee is not None:
        reviews = [r for r in reviews if r.is_published or r.pk == review.pk]
    keys: list[tuple[str, str, str]] = []
    for section in review.figures.get("sections", []):
        for figure in section["figures"]:
            if isinstance(figure["value"], int | float) and not _hidden(figure, commune_insee):
                keys.append((section["key"], figure["key"], figure["label"]))
    keys = keys[:limit]
    if not keys or len(reviews) < 2:
        return None
    indexes = [_index(r.figures) for r in reviews]
    series = {}
    for section_key, figure_key, label in keys:
        values = []
        for index in indexes:
            figure = index.get((section_key, figure_key))
            values.append(
                None if figure is None or _hidden(figure, commune_insee) else figure["value"]
            )
        series[label] = values
    return line_chart(
        [period_name(r.period_start, r.period_end) for r in reviews],
        series,
        title=_("Évolution d'un bilan à l'autre"),
    )


def _cell(value, unit: str, *, signed: bool = False) -> str:
    """A number as a French spreadsheet reads it (« 1141,20 », « +10,4 »); the unit has its own
    column."""
    return format_figure(value, unit, signed=signed, show_unit=False).replace("\u202f", "")


def csv_rows(review: Review, *, commune_insee: str | None = None) -> list[list]:
    rows = [
        [
            _("section"),
            _("indicateur"),
            _("valeur"),
            _("unité"),
            _("bilan précédent"),
            _("évolution"),
        ]
    ]
    if commune_insee:
        rows[0].append(_("valeur de la commune"))
    for section in sections_for(review, commune_insee=commune_insee):
        for row in section.rows:
            line = [
                section.title,
                row.label,
                _("masqué (moins de 3 communes)")
                if row.hidden
                else ("" if row.value is None else _cell(row.value, row.unit)),
                row.unit,
                "" if row.previous is None else _cell(row.previous, row.unit),
                "" if row.delta is None else _cell(row.delta, row.unit, signed=True),
            ]
            if commune_insee:
                line.append("" if row.own is None else _cell(row.own, row.unit))
            rows.append(line)
    return rows


def non_empty(sections: list[SectionView]) -> list[SectionView]:
    """The sections with something to say: a row with a value other than nothing or zero (the PDF
    leaves the others out rather than print a table of dashes)."""
    return [
        s
        for s in sections
        if any(r.hidden or r.value not in (None, 0) or r.own not in (None, 0) for r in s.rows)
    ]
