"""Remediation follow-up: status, owner, due date, notes, evidence; history; overdue."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mutualis.core.models import AuditEvent
from mutualis.cyber.demo import EVIDENCE_PDF
from mutualis.cyber.models import Diagnostic, Evidence, MeasureStatus, PlanMeasure


@pytest.fixture
def measure(db, odars):
    diagnostic = Diagnostic.objects.completed().get(commune=odars)
    return PlanMeasure.objects.filter(diagnostic=diagnostic, status=MeasureStatus.TODO).last()


def _post(client, measure, **data):
    payload = {"status": measure.status, "owner": "", "notes": "", "justification": ""}
    payload.update(data)
    return client.post(f"/cybersecurite/mesures/{measure.pk}/", payload)


def test_commune_manager_updates_a_measure_and_the_change_is_recorded(
    client, odars_manager, measure
):
    client.force_login(odars_manager)

    response = _post(
        client, measure, status="in_progress", owner="Martine", due_date="2030-01-15", notes="Devis"
    )

    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.owner, measure.due_date, measure.notes) == (
        "in_progress",
        "Martine",
        datetime.date(2030, 1, 15),
        "Devis",
    )
    event = AuditEvent.objects.for_object(measure).get(action="cyber.measure_updated")
    assert event.actor == odars_manager
    assert event.changes["status"] == ["todo", "in_progress"]
    page = client.get(f"/cybersecurite/mesures/{measure.pk}/").content.decode()
    assert "Historique" in page and "in_progress" in page


def test_not_applicable_needs_a_justification(client, referent, measure):
    client.force_login(referent)

    response = _post(client, measure, status="not_applicable")

    assert response.status_code == 400
    assert "doit être justifiée" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.TODO
    _post(client, measure, status="not_applicable", justification="Pas de site internet")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.NOT_APPLICABLE


def test_nothing_changed_writes_nothing(client, referent, measure):
    client.force_login(referent)
    before = AuditEvent.objects.count()

    _post(client, measure, due_date=measure.due_date.isoformat() if measure.due_date else "")

    assert AuditEvent.objects.count() == before


def test_overdue_measures_are_flagged(client, referent, odars):
    diagnostic = Diagnostic.objects.completed().get(commune=odars)
    overdue = list(PlanMeasure.objects.filter(diagnostic=diagnostic).overdue())
    assert overdue, "the demo has an overdue measure"
    assert all(m.due_date < timezone.localdate() and not m.is_closed for m in overdue)
    client.force_login(referent)

    page = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/").content.decode()

    assert page.count('class="overdue"') == len(overdue)
    assert "en retard" in page


def test_evidence_is_sniffed_stored_under_a_random_name_and_served(client, odars_manager, measure):
    client.force_login(odars_manager)
    upload = SimpleUploadedFile("preuve.pdf", EVIDENCE_PDF, content_type="text/plain")

    _post(client, measure, evidence=upload)

    evidence = Evidence.objects.filter(plan_measure=measure).get()
    assert evidence.original_name == "preuve.pdf"
    assert evidence.content_type == "application/pdf"
    assert "preuve" not in evidence.file.name
    assert evidence.file.name.startswith("cyber/evidence/")
    response = client.get(f"/cybersecurite/preuves/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == EVIDENCE_PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]


def test_disguised_or_oversized_evidence_is_refused_and_nothing_written(
    client, odars_manager, measure, settings
):
    client.force_login(odars_manager)
    before = Evidence.objects.count()
    script = SimpleUploadedFile("photo.png", b"#!/bin/sh\nrm -rf /\n", content_type="image/png")

    response = _post(client, measure, status="in_progress", evidence=script)

    assert response.status_code == 400
    assert "photo.png" in response.content.decode()
    assert "format accepté" in response.content.decode()
    assert Evidence.objects.count() == before
    settings.MUTUALIS_MAX_UPLOAD_BYTES = 10
    big = SimpleUploadedFile("gros.pdf", EVIDENCE_PDF)
    response = _post(client, measure, evidence=big)
    assert "la limite est de" in response.content.decode()
    assert Evidence.objects.count() == before


def test_agent_and_observer_cannot_update(client, odars_agent, observer, measure):
    for user in (odars_agent, observer):
        client.force_login(user)
        assert _post(client, measure, status="done").status_code == 404
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.TODO


def test_plan_csv_neutralises_formulas_typed_by_the_commune(client, odars_manager, measure):
    client.force_login(odars_manager)
    _post(client, measure, status="in_progress", owner="=cmd|' /C calc'!A0", notes="")
    response = client.get(f"/cybersecurite/diagnostics/{measure.diagnostic_id}/plan.csv")
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text
    assert ";=cmd" not in text
