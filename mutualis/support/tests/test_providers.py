"""Provider follow-up: links, scorecard figures in working hours, reviews, staff-only pages."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutualis.programme.services import shipped_programme
from mutualis.purchasing.models import Supplier
from mutualis.support import services
from mutualis.support.calendar import add_working_hours
from mutualis.support.models import ProviderLink, SupportRequest

pytestmark = pytest.mark.django_db


def _aware(*args):
    return timezone.make_aware(datetime(*args))


def test_the_scorecard_sums_escalations_times_and_satisfaction(referent, labege, labege_it):
    supplier = Supplier.objects.create(name="Prestataire test")
    ProviderLink.objects.filter(commune=labege).update(until=date(2025, 1, 31))
    services.link_provider(commune=labege, supplier=supplier, since=date(2025, 2, 1), by=referent)
    for hours_to_close, score in [("3", 5), ("7", 3)]:
        request = services.open_request(
            commune=labege,
            by=labege_it,
            category="incident",
            urgency="high",
            subject="Panne",
            description="x",
            opened_at=_aware(2025, 3, 3, 9, 0),
        )
        services.escalate_request(
            request=request, by=referent, note="n", at=_aware(2025, 3, 3, 9, 0)
        )
        closed = timezone.make_aware(
            add_working_hours(
                datetime(2025, 3, 3, 9, 0),
                Decimal(hours_to_close),
                services.working_calendar(shipped_programme()),
            )
        )
        services.close_request(request=request, by=referent, resolution="ok", at=closed)
        services.rate_request(request=request, by=labege_it, score=score)
    still_open = services.open_request(
        commune=labege,
        by=labege_it,
        category="incident",
        urgency="high",
        subject="Encore",
        description="x",
    )
    services.escalate_request(request=still_open, by=referent, note="n")
    score = next(
        s
        for s in services.provider_scorecard(programme=shipped_programme())
        if s.supplier == supplier
    )
    assert (score.escalations, score.open_escalations, score.resolved) == (3, 1, 2)
    assert score.mean_resolution_hours == Decimal("5.0")
    assert score.within_target == 2 and score.within_target_share == 100
    assert score.mean_satisfaction == Decimal("4.0") and score.ratings == 2
    assert score.communes == ["Labège"]


def test_a_new_provider_ends_the_previous_link(referent, labege):
    previous = ProviderLink.objects.current().get(commune=labege)
    supplier = Supplier.objects.get(name="Tolosa Support")
    services.link_provider(commune=labege, supplier=supplier, since=date(2026, 1, 1), by=referent)
    previous.refresh_from_db()
    assert previous.until == date(2025, 12, 31)
    assert services.current_provider(labege) == supplier


def test_the_scorecard_page_shows_the_table_and_chart_to_staff_only(
    client, observer, labege_manager
):
    client.force_login(observer)
    page = client.get("/support/prestataires/").content.decode()
    assert 'id="scorecard"' in page and "<svg" in page
    assert "Lauragais Informatique Services" in page
    assert 'name="supplier"' not in page  # observers read, they do not link providers
    client.force_login(labege_manager)
    assert client.get("/support/prestataires/").status_code == 403
    assert client.get("/api/support/providers/scorecard").status_code == 403


def test_a_review_is_recorded_for_a_provider(client, referent):
    supplier = Supplier.objects.get(name="Tolosa Support")
    client.force_login(referent)
    response = client.post(
        f"/support/prestataires/{supplier.pk}/",
        {
            "period_start": "2025-07-01",
            "period_end": "2025-12-31",
            "notes": "Revue du second semestre",
        },
    )
    assert response.status_code == 302
    assert supplier.reviews.filter(notes="Revue du second semestre").exists()
    bad = client.post(
        f"/support/prestataires/{supplier.pk}/",
        {"period_start": "2025-07-01", "period_end": "2025-01-31", "notes": "x"},
    )
    assert "précède son début" in bad.content.decode()


def test_scorecard_query_count_does_not_grow(client, referent, labege, labege_it):
    client.force_login(referent)
    with CaptureQueriesContext(connection) as first:
        client.get("/support/prestataires/")
    for _ in range(4):
        request = services.open_request(
            commune=labege,
            by=labege_it,
            category="incident",
            urgency="low",
            subject="s",
            description="d",
        )
        services.escalate_request(request=request, by=referent, note="n")
    with CaptureQueriesContext(connection) as second:
        client.get("/support/prestataires/")
    assert len(second) == len(first)
    assert SupportRequest.objects.filter(subject="s").count() == 4
