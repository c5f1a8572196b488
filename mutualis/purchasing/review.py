"""Purchasing figures for the six-monthly review, as of the period end: needs campaigns open and
closed, communes' answers, and the communes' purchase roadmaps (estimated cost per year)."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from mutualis.core.figures import Chart, Figure, Section
from mutualis.purchasing.enums import RoadmapStatus
from mutualis.purchasing.models import Campaign, CampaignAnswer, RoadmapItem


def figures(ctx):
    end = ctx.end_moment
    campaigns = list(
        Campaign.objects.filter(programme=ctx.programme, created_at__lte=end).values_list(
            "pk", "closed_at"
        )
    )
    closed = sum(1 for _pk, closed_at in campaigns if closed_at is not None and closed_at <= end)
    answers: dict[str, int] = defaultdict(int)
    for insee in CampaignAnswer.objects.filter(
        campaign_id__in=[pk for pk, _c in campaigns],
        created_at__lte=end,
        commune__epci__programmes=ctx.programme,
    ).values_list("commune__insee_code", flat=True):
        answers[insee] += 1
    roadmap: dict[int, Decimal] = defaultdict(Decimal)
    roadmap_communes: dict[int, set[str]] = defaultdict(set)
    by_commune: dict[str, Decimal] = defaultdict(Decimal)
    for year, cost, insee in (
        RoadmapItem.objects.filter(commune__epci__programmes=ctx.programme, created_at__lte=end)
        .exclude(status=RoadmapStatus.CANCELLED)
        .values_list("year", "estimated_cost", "commune__insee_code")
    ):
        roadmap[year] += cost or Decimal(0)
        roadmap_communes[year].add(insee)
        by_commune[insee] += cost or Decimal(0)
    result = [
        Figure(
            key="campaigns_open",
            unit=_("recensements"),
            label=_("Recensements ouverts"),
            value=len(campaigns) - closed,
        ),
        Figure(
            key="campaigns_closed",
            unit=_("recensements"),
            label=_("Recensements clôturés"),
            value=closed,
        ),
        Figure(
            key="campaign_answers",
            unit=_("réponses"),
            label=_("Réponses des communes aux recensements"),
            value=sum(answers.values()),
            communes=len(answers),
            by_commune=dict(answers),
        ),
        Figure(
            key="roadmap_total",
            label=_("Feuilles de route : coût estimé total"),
            value=float(sum(roadmap.values(), Decimal(0))),
            unit="€",
            communes=len(by_commune),
            by_commune={i: float(v) for i, v in by_commune.items()},
        ),
    ]
    for year in sorted(roadmap):
        result.append(
            Figure(
                key=f"roadmap_{year}",
                label=_("Feuilles de route : coût estimé %(year)s") % {"year": year},
                value=float(roadmap[year]),
                unit="€",
                communes=len(roadmap_communes[year]),
            )
        )
    charts = []
    if roadmap:
        charts.append(
            Chart(
                kind="bar",
                title=_("Feuilles de route des communes par année"),
                categories=[str(y) for y in sorted(roadmap)],
                series={_("Coût estimé"): [float(roadmap[y]) for y in sorted(roadmap)]},
                unit="€",
            )
        )
    return Section(key="purchasing", title=_("Achats"), figures=result, charts=charts)
