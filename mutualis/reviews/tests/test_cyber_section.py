"""The review's cybersecurity section, with exact figures as of the period end."""

from datetime import UTC, date, datetime

import pytest

from mutualis.core.models import AuditEvent
from mutualis.cyber.models import Diagnostic, DiagnosticStatus, MeasureStatus, PlanMeasure
from mutualis.cyber.services import update_plan_measure
from mutualis.reviews.services import compute_review

CURRENT_PERIOD = date(2026, 9, 1)  # review n° 5 (July–December 2026), a draft in the demo


def _cyber(programme) -> dict:
    review, _ = compute_review(programme=programme, day=CURRENT_PERIOD)
    section = next(s for s in review.figures["sections"] if s["key"] == "cyber")
    return {f["key"]: f for f in section["figures"]}


@pytest.mark.django_db
def test_completed_diagnostics_and_measures_closed_by_the_end(programme, referent, odars):
    before = _cyber(programme)
    diagnostic = Diagnostic.objects.filter(commune=odars, status=DiagnosticStatus.COMPLETED).first()
    open_measures = list(
        PlanMeasure.objects.filter(diagnostic=diagnostic, status=MeasureStatus.TODO).order_by("pk")[
            :2
        ]
    )
    assert len(open_measures) == 2
    # closed today (inside the period): counts
    update_plan_measure(measure=open_measures[0], by=referent, status=MeasureStatus.DONE)
    # closed after the period's end: its state at the end was still "to do"
    update_plan_measure(measure=open_measures[1], by=referent, status=MeasureStatus.DONE)
    AuditEvent.objects.filter(
        action="cyber.measure_updated", object_id=str(open_measures[1].pk)
    ).update(at=datetime(2027, 1, 10, tzinfo=UTC))
    after = _cyber(programme)
    assert after["measures_closed"]["value"] == before["measures_closed"]["value"] + 1
    assert after["measures_closed"]["by_commune"]["31402"] == (
        before["measures_closed"]["by_commune"].get("31402", 0) + 1
    )
    assert after["measures_total"]["value"] == before["measures_total"]["value"]
    completed = Diagnostic.objects.filter(
        status=DiagnosticStatus.COMPLETED, completed_at__lte=datetime(2026, 12, 31, 23, tzinfo=UTC)
    )
    assert after["diagnostics_completed"]["value"] == completed.count()
    assert (
        after["diagnostics_completed"]["by_commune"]["31402"]
        == completed.filter(commune=odars).count()
    )
