"""Information figures for the six-monthly review: posts published in the period, critical alerts
published in the period and the share of their addressed communes that acknowledged them by the
period end (the audience of an offer is read from the memberships at the period end)."""

from collections import defaultdict

from django.utils.translation import gettext as _

from mutualis.accounts.models import CommuneRole
from mutualis.core.figures import Chart, Figure, Section
from mutualis.information.enums import AudienceKind, Category, PostStatus, Severity
from mutualis.information.models import Acknowledgement, Post, PostRead, offers_granting
from mutualis.information.perms import advanced_offer_codes
from mutualis.membership.review import communes_in_offer_at_end


def figures(ctx):
    published = (
        Post.objects.for_programme(ctx.programme)
        .filter(
            published_at__isnull=False,
            publish_at__date__gte=ctx.start,
            publish_at__lte=ctx.end_moment,
        )
        .exclude(status=PostStatus.DRAFT)
    )
    by_category = defaultdict(int)
    for category in published.values_list("category", flat=True):
        by_category[category] += 1
    alerts = list(
        published.filter(category=Category.ALERT, severity=Severity.CRITICAL).values_list(
            "pk", "audience", "audience_offer"
        )
    )
    in_offer = communes_in_offer_at_end(ctx)
    members = set().union(*in_offer.values()) if in_offer else set()
    listed: dict[int, set[str]] = defaultdict(set)
    through = Post.audience_communes.through
    for post_id, insee in through.objects.filter(post_id__in=[a[0] for a in alerts]).values_list(
        "post_id", "commune__insee_code"
    ):
        listed[post_id].add(insee)
    acknowledged: dict[int, set[str]] = defaultdict(set)
    for post_id, insee in Acknowledgement.objects.filter(
        post_id__in=[a[0] for a in alerts], at__lte=ctx.end_moment
    ).values_list("post_id", "commune__insee_code"):
        acknowledged[post_id].add(insee)
    expected = 0
    done = 0
    owed: dict[str, int] = defaultdict(int)
    given: dict[str, int] = defaultdict(int)
    for pk, audience, offer in alerts:
        if audience == AudienceKind.ALL:
            addressed = members
        elif audience == AudienceKind.OFFER:
            addressed = set().union(*(in_offer.get(c, set()) for c in offers_granting(offer)))
        elif audience == AudienceKind.ADVANCED:
            addressed = set().union(*(in_offer.get(c, set()) for c in advanced_offer_codes()))
        else:
            addressed = listed[pk]
        for insee in addressed:
            owed[insee] += 1
            if insee in acknowledged[pk]:
                given[insee] += 1
        expected += len(addressed)
        done += len(addressed & acknowledged[pk])
    # Read: a post published in the period opened by the end by at least one person of a commune
    # (people are placed in the communes where they hold a role today: roles have no history here).
    published_ids = list(published.values_list("pk", flat=True))
    communes_of: dict[int, set[str]] = defaultdict(set)
    for user_id, insee in CommuneRole.objects.active().values_list(
        "user_id", "commune__insee_code"
    ):
        communes_of[user_id].add(insee)
    read_by: dict[int, set[str]] = defaultdict(set)
    for post_id, user_id in PostRead.objects.filter(
        post_id__in=published_ids, at__lte=ctx.end_moment
    ).values_list("post_id", "user_id"):
        read_by[post_id] |= communes_of.get(user_id, set())
    read_per_commune: dict[str, int] = defaultdict(int)
    for insees in read_by.values():
        for insee in insees:
            read_per_commune[insee] += 1
    result = [
        Figure(
            key="posts_read",
            unit=_("informations"),
            label=_("Informations de la période lues par au moins une commune"),
            value=sum(1 for insees in read_by.values() if insees),
            communes=len(read_per_commune),
            by_commune=dict(read_per_commune),
        ),
        Figure(
            key="posts_published",
            unit=_("informations"),
            label=_("Informations publiées pendant la période"),
            value=sum(by_category.values()),
        ),
        Figure(
            key="critical_alerts",
            unit=_("alertes"),
            label=_("Alertes critiques publiées pendant la période"),
            value=len(alerts),
        ),
        Figure(
            key="alerts_acknowledged_percent",
            label=_("Part des alertes critiques dont la commune a accusé réception"),
            value=round(done * 100 / expected, 1) if expected else None,
            unit="%",
            communes=len(owed),
            by_commune={insee: round(given[insee] * 100 / n, 1) for insee, n in owed.items() if n},
        ),
    ]
    chart = Chart(
        kind="bar",
        title=_("Informations publiées par rubrique"),
        categories=[str(c.label) for c in Category],
        series={_("Publications"): [by_category.get(c.value, 0) for c in Category]},
    )
    return Section(key="information", title=_("Information"), figures=result, charts=[chart])
