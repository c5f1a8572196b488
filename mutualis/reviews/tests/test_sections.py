"""Each capability's review section on a known data set added on top of the demo: the figures
move by exactly what was added within the period, and nothing stamped after the end counts."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mutualis.awareness.models import ModuleVersion, Progress, QuizAttempt
from mutualis.contributions.models import Call, CreditNote, Payment
from mutualis.core.figures import ReviewContext
from mutualis.core.french import exact
from mutualis.information.enums import AudienceKind, Category, PostStatus, Severity
from mutualis.information.models import Acknowledgement, Post
from mutualis.purchasing.models import RoadmapItem
from mutualis.reviews.figures import compute_snapshot
from mutualis.support.models import SupportRequest

START, END = date(2026, 7, 1), date(2026, 12, 31)
INSIDE = datetime(2026, 9, 15, 10, tzinfo=UTC)
AFTER = datetime(2027, 2, 1, 10, tzinfo=UTC)


def _snapshot(programme):
    snapshot = compute_snapshot(ReviewContext(programme=programme, start=START, end=END))
    return {(s["key"], f["key"]): f for s in snapshot["sections"] for f in s["figures"]}, [
        s["key"] for s in snapshot["sections"]
    ]


def _value(figures, section, key):
    return figures[(section, key)]["value"] or 0


@pytest.mark.django_db
def test_every_capability_has_a_section_in_order(programme):
    _figures, keys = _snapshot(programme)
    assert keys == [
        "membership",
        "contributions",
        "cyber",
        "awareness",
        "information",
        "support",
        "purchasing",
    ]


@pytest.mark.django_db
def test_contributions_called_paid_outstanding_at_the_end(programme, odars):
    before, _k = _snapshot(programme)
    model = Call.objects.filter(programme=programme).first()
    assert model is not None

    def call(seq, issued_on, amount):
        c = Call.objects.get(pk=model.pk)
        c.pk = None
        c.number, c.seq, c.year = f"T-{seq}", 9000 + seq, 2099
        c.commune, c.status = odars, "cancelled"  # keeps the one-live-call constraint out of it
        c.membership = odars.memberships.first()
        c.issued_on, c.amount, c.replaces = issued_on, Decimal(amount), None
        c.save()
        return c

    inside = call(1, date(2026, 8, 1), "1000.00")
    call(2, date(2027, 1, 15), "500.00")  # after the end: not counted
    CreditNote.objects.create(
        number="TA-1",
        year=2099,
        seq=9001,
        call=inside,
        commune=odars,
        kind="cancellation",
        amount=Decimal("100.00"),
        reason="test",
        issued_on=date(2026, 9, 1),
        pdf=b"",
    )
    for amount, paid_on in [("300.00", date(2026, 10, 1)), ("200.00", date(2027, 1, 20))]:
        Payment.objects.create(
            call=inside,
            commune=odars,
            amount=Decimal(amount),
            paid_on=paid_on,
            reference=f"R{amount}",
            source="manual",
        )
    after, _k = _snapshot(programme)

    def moved(key):
        return round(_value(after, "contributions", key) - _value(before, "contributions", key), 2)

    assert moved("called_in_period") == 1000.0
    assert moved("called") == 900.0
    assert moved("credited") == 100.0
    assert moved("paid") == 300.0 and moved("paid_in_period") == 300.0
    assert moved("outstanding") == 600.0
    own_before = before[("contributions", "paid")]["by_commune"].get("31402", 0)
    assert after[("contributions", "paid")]["by_commune"]["31402"] == own_before + 300.0


@pytest.mark.django_db
def test_support_opened_closed_median_and_breaches(programme, odars):
    before, _k = _snapshot(programme)
    base = dict(commune=odars, category="platform", urgency="normal", subject="s", description="d")
    # closed in 4 h, on time; closed in 10 h, after its deadline; open past its deadline
    SupportRequest.objects.create(
        **base,
        opened_at=INSIDE,
        closed_at=INSIDE + timedelta(hours=4),
        status="closed",
        resolution_due=INSIDE + timedelta(days=1),
    )
    SupportRequest.objects.create(
        **base,
        opened_at=INSIDE,
        closed_at=INSIDE + timedelta(hours=10),
        status="closed",
        resolution_due=INSIDE + timedelta(hours=8),
    )
    SupportRequest.objects.create(
        **base, opened_at=INSIDE, status="new", resolution_due=INSIDE + timedelta(days=2)
    )
    SupportRequest.objects.create(**base, opened_at=AFTER, status="new")  # after: not counted
    after, _k = _snapshot(programme)

    def moved(key):
        return _value(after, "support", key) - _value(before, "support", key)

    assert moved("requests_opened") == 3
    assert moved("requests_closed") == 2
    assert moved("requests_open_at_end") == 1
    assert moved("resolution_breaches") == 2
    if not before[("support", "requests_closed")]["value"]:
        assert after[("support", "median_hours_to_resolve")]["value"] == 7.0


@pytest.mark.django_db
def test_information_critical_alert_acknowledgement_rate(programme, odars, coordinator, labege):
    before, _k = _snapshot(programme)
    post = Post.objects.create(
        title="Alerte test",
        category=Category.ALERT,
        severity=Severity.CRITICAL,
        status=PostStatus.PUBLISHED,
        publish_at=INSIDE,
        published_at=INSIDE,
        audience=AudienceKind.COMMUNES,
        created_by=coordinator,
    )
    post.audience_communes.set([odars, labege])
    Acknowledgement.objects.create(post=post, commune=odars, by=coordinator)
    Acknowledgement.objects.filter(post=post).update(at=INSIDE)
    late = Acknowledgement.objects.create(post=post, commune=labege, by=coordinator)
    Acknowledgement.objects.filter(pk=late.pk).update(at=AFTER)  # after the end: not counted
    after, _k = _snapshot(programme)
    assert _value(after, "information", "critical_alerts") == (
        _value(before, "information", "critical_alerts") + 1
    )
    assert _value(after, "information", "posts_published") == (
        _value(before, "information", "posts_published") + 1
    )
    rate = after[("information", "alerts_acknowledged_percent")]
    if not before[("information", "critical_alerts")]["value"]:
        assert rate["value"] == 50.0
        assert rate["by_commune"] == {"31402": 100.0, "31254": 0.0}


@pytest.mark.django_db
def test_awareness_passes_scores_and_trained_agents(programme, odars, odars_agent):
    before, _k = _snapshot(programme)
    version = ModuleVersion.objects.order_by("pk").last()
    progress = (
        Progress.objects.create(
            user=odars_agent,
            commune=odars,
            module_version=version,
            passed_at=INSIDE,
            best_percentage=90,
            quiz_attempts=2,
        )
        if not Progress.objects.filter(user=odars_agent, module_version=version).exists()
        else None
    )
    if progress is None:
        pytest.skip("the demo agent already has progress on this module")
    for pct, at in [(60, INSIDE), (90, INSIDE), (100, AFTER)]:
        QuizAttempt.objects.create(
            progress=progress,
            submitted_at=at,
            correct_count=1,
            total=1,
            percentage=pct,
            passed=pct >= 80,
        )
    after, _k = _snapshot(programme)
    assert _value(after, "awareness", "modules_passed") == (
        _value(before, "awareness", "modules_passed") + 1
    )
    assert _value(after, "awareness", "modules_passed_in_period") == (
        _value(before, "awareness", "modules_passed_in_period") + 1
    )


@pytest.mark.django_db
def test_purchasing_roadmap_totals_by_year(programme, odars, coordinator):
    before, _k = _snapshot(programme)
    RoadmapItem.objects.create(
        commune=odars,
        year=2031,
        label="Serveur",
        category="servers",
        estimated_cost=Decimal("1234.50"),
        priority=1,
        created_by=coordinator,
    )
    created = RoadmapItem.objects.create(
        commune=odars,
        year=2031,
        label="Plus tard",
        category="servers",
        estimated_cost=Decimal("99.00"),
        priority=1,
        created_by=coordinator,
    )
    RoadmapItem.objects.filter(pk=created.pk).update(created_at=AFTER)
    after, _k = _snapshot(programme)
    assert after[("purchasing", "roadmap_2031")]["value"] == 1234.5
    assert after[("purchasing", "roadmap_2031")]["communes"] == 1
    assert (
        round(
            _value(after, "purchasing", "roadmap_total")
            - _value(before, "purchasing", "roadmap_total"),
            2,
        )
        == 1234.5
    )


@pytest.mark.django_db
def test_commune_version_of_a_full_review_shows_only_its_own_values(programme, odars, labege):
    from mutualis.reviews.models import Review
    from mutualis.reviews.presentation import sections_for

    snapshot = compute_snapshot(ReviewContext(programme=programme, start=START, end=END))
    review = Review.objects.create(
        programme=programme,
        number=98,
        period_start=START,
        period_end=END,
        figures=snapshot,
        computed_at=timezone.now(),
    )
    index = {(s["key"], f["key"]): f for s in snapshot["sections"] for f in s["figures"]}
    for section in sections_for(review, commune_insee=odars.insee_code):
        for row in section.rows:
            figure = index[(section.key, row.key)]
            # read back exactly: a snapshot's 24.2 is shown as Decimal("24.2")
            assert row.own == exact(figure["by_commune"].get("31402"))
            count = figure["communes"]
            if count is not None and 0 < count < 3:
                assert row.hidden and row.value is None
                assert section.charts == []


@pytest.mark.django_db
def test_a_review_takes_a_bounded_number_of_queries(programme, django_assert_max_num_queries):
    ctx = ReviewContext(programme=programme, start=START, end=END)
    with django_assert_max_num_queries(40):
        compute_snapshot(ctx)
