"""A measure's history reads in words: field names, choice labels and French dates."""

import pytest

from mutualis.cyber.models import Diagnostic, MeasureStatus, PlanMeasure


@pytest.fixture
def measure(db, odars):
    diagnostic = Diagnostic.objects.completed().get(commune=odars)
    return PlanMeasure.objects.filter(diagnostic=diagnostic, status=MeasureStatus.TODO).last()


def test_measure_history_shows_labels_and_french_dates_not_codes(client, odars_manager, measure):
    client.force_login(odars_manager)
    client.post(
        f"/cybersecurite/mesures/{measure.pk}/",
        {"status": "in_progress", "owner": "", "notes": "", "justification": "",
         "due_date": "2027-01-06"},
    )  # fmt: skip

    page = client.get(f"/cybersecurite/mesures/{measure.pk}/").content.decode()

    assert "état : À faire → En cours" in page
    assert "échéance : — → 06/01/2027" in page
    assert "« in_progress »" not in page and "due_date :" not in page
