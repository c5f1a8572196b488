"""Contribution figures for the six-monthly review, as of the period end: money called (calls
issued up to the end, less credit notes issued up to the end), paid (payments received up to the
end) and outstanding; days in kind owed (membership years begun by the end) and given/validated."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from mutualis.contributions import rules as contribution_rules
from mutualis.contributions.enums import DayStatus
from mutualis.contributions.models import Call, CreditNote, DayEntry, Payment, money
from mutualis.contributions.schedule import PaidIn
from mutualis.contributions.services import OWING_STATES, ContributionError, schedule_for_membership
from mutualis.core.figures import Chart, Figure, Section
from mutualis.membership.models import Membership
from mutualis.membership.review import status_at_end


def _by_commune(queryset, field: str) -> dict[str, Decimal]:
    return {
        insee: money(total)
        for insee, total in queryset.values("commune__insee_code")
        .annotate(total=Sum(field))
        .values_list("commune__insee_code", "total")
    }


def _money_figure(key: str, label: str, by_commune: dict[str, Decimal], communes: set[str]):
    return Figure(
        key=key,
        label=label,
        value=float(sum(by_commune.values(), Decimal(0))),
        unit="€",
        communes=len(communes),
        by_commune={insee: float(v) for insee, v in by_commune.items()},
    )


def _money(ctx) -> tuple[list, dict[str, float]]:
    calls = Call.objects.filter(programme=ctx.programme, issued_on__lte=ctx.end)
    credits = CreditNote.objects.filter(call__programme=ctx.programme, issued_on__lte=ctx.end)
    payments = Payment.objects.filter(call__programme=ctx.programme, paid_on__lte=ctx.end)
    called = _by_commune(calls, "amount")
    credited = _by_commune(credits, "amount")
    paid = _by_commune(payments, "amount")
    in_period = _by_commune(calls.filter(issued_on__gte=ctx.start), "amount")
    paid_in_period = _by_commune(payments.filter(paid_on__gte=ctx.start), "amount")
    communes = set(called)
    net = {i: called.get(i, Decimal(0)) - credited.get(i, Decimal(0)) for i in communes}
    outstanding = {i: net[i] - paid.get(i, Decimal(0)) for i in communes}
    figures = [
        _money_figure(
            "called_in_period", _("Appelé pendant la période"), in_period, set(in_period)
        ),
        _money_figure(
            "paid_in_period", _("Encaissé pendant la période"), paid_in_period, set(paid_in_period)
        ),
        _money_figure("called", _("Appelé depuis le début (net des avoirs)"), net, communes),
        _money_figure("credited", _("Avoirs émis depuis le début"), credited, set(credited)),
        _money_figure("paid", _("Encaissé depuis le début"), paid, set(paid)),
        _money_figure(
            "outstanding", _("Reste à encaisser en fin de période"), outstanding, communes
        ),
    ]
    totals = {f.key: f.value for f in figures}
    return figures, totals


def _days(ctx) -> list:
    spec = ctx.programme.spec
    days_offers = [
        offer.code
        for offer in spec.offers
        if contribution_rules.is_paid(spec, offer.code)
        and contribution_rules.paid_in(spec, offer.code) is PaidIn.DAYS
    ]
    states = status_at_end(ctx)
    memberships = Membership.objects.filter(
        pk__in=states, offer_code__in=days_offers, start_date__lte=ctx.end
    ).select_related("programme", "commune")
    owed: dict[str, Decimal] = defaultdict(Decimal)
    for membership in memberships:
        if states[membership.pk] not in OWING_STATES:
            continue
        try:
            periods = schedule_for_membership(membership).periods
        except ContributionError:
            continue
        for period in periods:
            if period.start <= ctx.end and period.days_owed is not None:
                owed[membership.commune.insee_code] += period.days_owed
    entries = DayEntry.objects.filter(
        membership__programme=ctx.programme, worked_on__lte=ctx.end, logged_at__lte=ctx.end_moment
    )
    reviewed = Q(reviewed_at__lte=ctx.end_moment)
    given_entries = entries.exclude(Q(status=DayStatus.REJECTED) & reviewed)
    validated_entries = entries.filter(Q(status=DayStatus.VALIDATED) & reviewed)

    def half_days(queryset) -> dict[str, Decimal]:
        return {
            insee: Decimal(total or 0) / 2
            for insee, total in queryset.values("commune__insee_code")
            .annotate(total=Sum("half_days"))
            .values_list("commune__insee_code", "total")
        }

    given = half_days(given_entries)
    validated = half_days(validated_entries)
    given_in_period = half_days(given_entries.filter(worked_on__gte=ctx.start))
    communes = set(owed) | set(given)

    def figure(key, label, values, behind):
        return Figure(
            key=key,
            label=label,
            value=float(sum(values.values(), Decimal(0))),
            unit=_("jours"),
            communes=len(behind),
            by_commune={insee: float(v) for insee, v in values.items()},
        )

    return [
        figure("days_owed", _("Jours en nature dus (années d'adhésion commencées)"), owed, owed),
        figure("days_given", _("Jours en nature donnés depuis le début"), given, communes),
        figure("days_validated", _("Jours en nature validés depuis le début"), validated, communes),
        figure(
            "days_given_in_period",
            _("Jours en nature donnés pendant la période"),
            given_in_period,
            set(given_in_period),
        ),
    ]


def figures(ctx):
    money_figures, totals = _money(ctx)
    chart = Chart(
        kind="bar",
        title=_("Contributions en fin de période"),
        categories=[_("Appelé"), _("Encaissé"), _("Reste à encaisser")],
        series={_("Euros"): [totals["called"], totals["paid"], totals["outstanding"]]},
        unit="€",
    )
    return Section(
        key="contributions",
        title=_("Contributions"),
        figures=money_figures + _days(ctx),
        charts=[chart],
    )
