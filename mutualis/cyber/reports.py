"""What a diagnostic's page and its PDF report show: scores, charts, the plan with its measures'
why and how, the follow-up state and the comparison with the previous diagnostic. Everything is
computed from the diagnostic's own referential version and answers."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core.charts import bar_chart, radar_chart
from mutualis.cyber.models import Diagnostic, PlanMeasure
from mutualis.cyber.referential import (
    ACTOR_LABELS,
    COST_LABELS,
    EFFORT_LABELS,
    SERVICE_LABELS,
    Measure,
    Referential,
)
from mutualis.cyber.scoring import Comparison, DiagnosticResult, PlanItem, compare


@dataclass(frozen=True)
class PlanRow:
    item: PlanItem
    measure: Measure
    follow_up: PlanMeasure | None
    theme_title: str
    effort: str
    cost: str
    actors: str
    helped_by: tuple[str, ...]
    overdue: bool


def plan_rows(
    referential: Referential, result: DiagnosticResult, follow_ups: dict[str, PlanMeasure]
) -> list[PlanRow]:
    today = timezone.localdate()
    rows = []
    for item in result.plan:
        measure = referential.measure(item.measure_id)
        follow_up = follow_ups.get(item.measure_id)
        rows.append(
            PlanRow(
                item=item,
                measure=measure,
                follow_up=follow_up,
                theme_title=referential.theme(measure.theme).title,
                effort=EFFORT_LABELS[measure.effort],
                cost=COST_LABELS[measure.cost],
                actors=", ".join(ACTOR_LABELS[a] for a in measure.actors),
                helped_by=tuple(
                    f"{SERVICE_LABELS[link.kind]}{f' « {link.ref} »' if link.ref else ''}"
                    for link in measure.helped_by
                ),
                overdue=bool(follow_up and follow_up.is_overdue(today)),
            )
        )
    return rows


def radar(result: DiagnosticResult, *, title: str, previous: DiagnosticResult | None = None):
    axes = [axis.label for axis in result.radar()]
    series = {}
    if previous is not None:
        by_theme = {axis.theme_id: axis.value for axis in previous.radar()}
        series[_("Diagnostic précédent")] = [by_theme.get(a.theme_id) for a in result.radar()]
    series[_("Ce diagnostic")] = [axis.value for axis in result.radar()]
    return radar_chart(axes, series, title=title)


def comparison_chart(comparison: Comparison):
    return bar_chart(
        [t.theme_id for t in comparison.themes],
        {
            _("Précédent"): [t.previous for t in comparison.themes],
            _("Actuel"): [t.current for t in comparison.themes],
        },
        title=_("Score par thème : diagnostic précédent et actuel"),
        unit="/ 100",
        width=720,
    )


def diagnostic_context(diagnostic: Diagnostic) -> dict:
    """The figures, charts and plan of one diagnostic (page and PDF alike)."""
    referential = diagnostic.referential
    result = diagnostic.result()
    follow_ups = (
        {m.measure_id: m for m in diagnostic.measures.all()} if diagnostic.is_completed else {}
    )
    rows = plan_rows(referential, result, follow_ups)
    previous = (
        diagnostic.previous if diagnostic.previous and diagnostic.previous.is_completed else None
    )
    previous_result = previous.result() if previous else None
    # A diagnostic in progress has no score yet (only « en cours : 24 réponses sur 52 »): no
    # radar, no comparison of scores until it is completed.
    scored = diagnostic.is_completed
    comparison = compare(previous_result, result) if previous_result and scored else None
    closed_since = []
    if previous is not None:
        closed_since = [m for m in previous.measures.all() if m.is_closed]
    counts = {
        "total": len(rows),
        "closed": sum(1 for r in rows if r.follow_up and r.follow_up.is_closed),
        "overdue": sum(1 for r in rows if r.overdue),
    }
    return {
        "diagnostic": diagnostic,
        "commune": diagnostic.commune,
        "referential": referential,
        "result": result,
        "themes": result.themes,
        "rows": rows,
        "priority_rows": [r for r in rows if r.item.is_priority],
        "counts": counts,
        "radar": radar(result, title=_("Score par thème (sur 100)"), previous=previous_result)
        if scored
        else None,
        "previous": previous,
        "comparison": comparison,
        "comparison_chart": comparison_chart(comparison) if comparison else None,
        "closed_since": closed_since,
    }
