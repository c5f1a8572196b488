"""Support figures for the six-monthly review: requests opened and closed in the period, the
median time to resolve those closed in it, requests still open at the end, and resolution
deadlines missed (closed after their deadline in the period, or open past it at the end)."""

from collections import defaultdict
from statistics import median

from django.db.models import Q
from django.utils.translation import gettext as _

from mutualis.core.figures import Figure, Section
from mutualis.support.models import SupportRequest


def figures(ctx):
    end = ctx.end_moment
    rows = SupportRequest.objects.filter(
        commune__epci__programmes=ctx.programme, opened_at__lte=end
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=ctx.start))
    opened: dict[str, int] = defaultdict(int)
    closed: dict[str, int] = defaultdict(int)
    still_open: dict[str, int] = defaultdict(int)
    breaches: dict[str, int] = defaultdict(int)
    hours: dict[str, list[float]] = defaultdict(list)
    for insee, opened_at, closed_at, due in rows.values_list(
        "commune__insee_code", "opened_at", "closed_at", "resolution_due"
    ):
        if opened_at.date() >= ctx.start:
            opened[insee] += 1
        if closed_at is not None and closed_at <= end:
            closed[insee] += 1
            hours[insee].append((closed_at - opened_at).total_seconds() / 3600)
            if due is not None and closed_at > due:
                breaches[insee] += 1
        else:
            still_open[insee] += 1
            if due is not None and due < end:
                breaches[insee] += 1
    all_hours = [h for values in hours.values() for h in values]

    def count(key, label, values):
        return Figure(
            key=key,
            unit=_("demandes"),
            label=label,
            value=sum(values.values()),
            communes=len(values),
            by_commune=dict(values),
        )

    result = [
        count("requests_opened", _("Demandes ouvertes pendant la période"), opened),
        count("requests_closed", _("Demandes clôturées pendant la période"), closed),
        count("requests_open_at_end", _("Demandes en cours en fin de période"), still_open),
        Figure(
            key="median_hours_to_resolve",
            label=_("Délai médian de résolution (demandes clôturées)"),
            value=round(median(all_hours), 1) if all_hours else None,
            unit=_("heures"),
            communes=len(hours),
            by_commune={i: round(median(v), 1) for i, v in hours.items()},
        ),
        count("resolution_breaches", _("Délais de résolution dépassés"), breaches),
    ]
    return Section(key="support", title=_("Assistance"), figures=result)
