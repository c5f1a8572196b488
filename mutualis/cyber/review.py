"""Cyber figures for the six-monthly review, as of the period end: diagnostics completed, the
average maturity score of each commune's latest diagnostic and its change, plan measures closed.

A measure's state at the end is read from its audit trail (`cyber.measure_updated` records the
status before and after); a measure never changed keeps the state it was created with."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from mutualis.core.figures import Chart, Figure, Section
from mutualis.core.models import AuditEvent
from mutualis.cyber.models import CLOSED_STATUSES, Diagnostic, DiagnosticStatus, PlanMeasure


def _completed_by_end(ctx):
    """Diagnostics completed by the end (a later cancellation cannot undo a completed one)."""
    return Diagnostic.objects.filter(
        commune__epci__programmes=ctx.programme,  # the programme's territory, no other's
        completed_at__lte=ctx.end_moment,
        status=DiagnosticStatus.COMPLETED,
    )


def _status_at_end(ctx, measures: dict[int, str]) -> dict[int, str]:
    """Each measure's status at the end (one query): the last status change up to the end, or
    the status before its first change after the end, or its current status if never changed."""
    events = (
        AuditEvent.objects.filter(
            action="cyber.measure_updated",
            object_type="cyber.planmeasure",
            object_id__in=[str(pk) for pk in measures],
        )
        .order_by("at", "pk")
        .values_list("object_id", "at", "changes")
    )
    before: dict[int, str] = {}
    after: dict[int, str] = {}
    for object_id, at, changes in events:
        change = (changes or {}).get("status")
        if not change:
            continue
        pk = int(object_id)
        if at <= ctx.end_moment:
            before[pk] = change[1]
        else:
            after.setdefault(pk, change[0])
    return {pk: before.get(pk, after.get(pk, status)) for pk, status in measures.items()}


def figures(ctx):
    completed = list(
        _completed_by_end(ctx)
        .order_by("completed_at", "pk")
        .values_list("pk", "commune__insee_code", "completed_at", "overall")
    )
    latest: dict[str, Decimal] = {}
    first: dict[str, Decimal] = {}
    in_period: dict[str, int] = defaultdict(int)
    for _pk, insee, completed_at, overall in completed:
        if overall is not None:
            first.setdefault(insee, overall)
            latest[insee] = overall
        if completed_at.date() >= ctx.start:
            in_period[insee] += 1
    per_commune = Counter(insee for _pk, insee, _at, _o in completed)
    diagnosed = set(per_commune)
    average = round(float(sum(latest.values()) / len(latest)), 1) if latest else None
    changes = {insee: latest[insee] - first[insee] for insee in latest}
    followed = {insee for insee in changes if per_commune[insee] > 1}
    average_change = (
        round(float(sum(changes[i] for i in followed) / len(followed)), 1) if followed else None
    )

    measures = dict(
        PlanMeasure.objects.filter(diagnostic_id__in=[c[0] for c in completed]).values_list(
            "pk", "status"
        )
    )
    owners = dict(
        PlanMeasure.objects.filter(pk__in=measures).values_list(
            "pk", "diagnostic__commune__insee_code"
        )
    )
    at_end = _status_at_end(ctx, measures)
    closed: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for pk, status in at_end.items():
        total[owners[pk]] += 1
        if status in CLOSED_STATUSES:
            closed[owners[pk]] += 1
    all_measures = sum(total.values())
    all_closed = sum(closed.values())
    result = [
        Figure(
            key="diagnostics_completed",
            unit=_("diagnostics"),
            label=_("Diagnostics terminés depuis le début"),
            value=len(completed),
            communes=len(diagnosed),
            by_commune=dict(per_commune),
        ),
        Figure(
            key="diagnostics_in_period",
            unit=_("diagnostics"),
            label=_("Diagnostics terminés pendant la période"),
            value=sum(in_period.values()),
            communes=len(in_period),
            by_commune=dict(in_period),
        ),
        Figure(
            key="maturity_average",
            label=_("Score de maturité moyen (dernier diagnostic de chaque commune)"),
            value=average,
            unit="/ 100",
            communes=len(latest),
            by_commune={i: float(v) for i, v in latest.items()},
        ),
        Figure(
            key="maturity_change",
            label=_("Évolution moyenne du score entre premier et dernier diagnostic"),
            value=average_change,
            unit=_("points"),
            communes=len(followed),
            by_commune={i: float(changes[i]) for i in followed},
        ),
        Figure(
            key="measures_total",
            unit=_("mesures"),
            label=_("Mesures des plans d'action"),
            value=all_measures,
            communes=len(total),
            by_commune=dict(total),
        ),
        Figure(
            key="measures_closed",
            unit=_("mesures"),
            label=_("Mesures closes (faites ou sans objet)"),
            value=all_closed,
            communes=len(total),
            by_commune=dict(closed),
        ),
        Figure(
            key="measures_closed_percent",
            label=_("Part des mesures closes"),
            value=round(all_closed * 100 / all_measures, 1) if all_measures else None,
            unit="%",
            communes=len(total),
        ),
    ]
    charts = []
    if latest:
        charts.append(
            Chart(
                kind="bar",
                title=_("Communes par tranche de score de maturité"),
                categories=["0–24", "25–49", "50–74", "75–100"],
                series={
                    _("Communes"): [
                        sum(1 for v in latest.values() if low <= v < high)
                        for low, high in [(0, 25), (25, 50), (50, 75), (75, 101)]
                    ]
                },
            )
        )
    return Section(key="cyber", title=_("Cybersécurité"), figures=result, charts=charts)
