"""The demo's cybersecurity is lived-in, and loading it twice adds nothing."""

from mutualis.cyber.demo import load_cyber_demo
from mutualis.cyber.models import (
    Diagnostic,
    DiagnosticStatus,
    Evidence,
    FirstAdviceRecord,
    MeasureStatus,
    PlanMeasure,
)


def test_demo_has_first_advice_a_partly_done_plan_and_a_draft(odars, labege):
    assert FirstAdviceRecord.objects.filter(commune=odars).exists()
    completed = Diagnostic.objects.completed().get(commune=odars)
    statuses = set(
        PlanMeasure.objects.filter(diagnostic=completed).values_list("status", flat=True)
    )
    assert {MeasureStatus.DONE, MeasureStatus.IN_PROGRESS, MeasureStatus.TODO} <= statuses
    assert Evidence.objects.filter(plan_measure__diagnostic=completed).exists()
    draft = Diagnostic.objects.get(commune=odars, status=DiagnosticStatus.DRAFT)
    assert draft.previous == completed and draft.answers
    assert Diagnostic.objects.completed().filter(commune=labege).exists()


def test_loading_it_again_adds_nothing(db):
    counts = [m.objects.count() for m in (Diagnostic, FirstAdviceRecord, PlanMeasure, Evidence)]
    load_cyber_demo(log=lambda line: None)
    assert [
        m.objects.count() for m in (Diagnostic, FirstAdviceRecord, PlanMeasure, Evidence)
    ] == counts
