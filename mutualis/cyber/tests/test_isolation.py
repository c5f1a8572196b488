"""Odars' records never reach Labège's people: page, plan, PDF, CSV, evidence, API, programme."""

import re

import pytest

from mutualis.cyber.models import Diagnostic, Evidence, FirstAdviceRecord


@pytest.fixture
def odars_records(db, odars):
    diagnostic = Diagnostic.objects.completed().get(commune=odars)
    evidence = Evidence.objects.filter(plan_measure__diagnostic=diagnostic).first()
    advice = FirstAdviceRecord.objects.filter(commune=odars).first()
    return diagnostic, evidence, advice


def _urls(diagnostic, evidence, advice):
    d = diagnostic.pk
    return [
        "/cybersecurite/communes/31402/",
        f"/cybersecurite/diagnostics/{d}/",
        f"/cybersecurite/diagnostics/{d}/rapport.pdf",
        f"/cybersecurite/diagnostics/{d}/plan.csv",
        f"/cybersecurite/diagnostics/{d}/questionnaire/",
        f"/cybersecurite/mesures/{evidence.plan_measure_id}/",
        f"/cybersecurite/preuves/{evidence.pk}/",
        f"/cybersecurite/premier-conseil/{advice.pk}/",
        f"/api/cyber/diagnostics/{d}",
        f"/api/cyber/diagnostics/{d}/plan",
        "/api/cyber/communes/31402/diagnostics",
        "/api/cyber/communes/31402/first-advice",
    ]


def test_labege_people_get_404_everywhere_and_never_see_odars(
    client, labege_manager, labege_it, odars_records
):
    for user in (labege_manager, labege_it):
        client.force_login(user)
        for url in _urls(*odars_records):
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert b"Odars" not in response.content, (user, url)


def test_guessing_ids_gives_the_same_answer_as_a_missing_one(client, labege_manager, odars_records):
    diagnostic, _evidence, _advice = odars_records
    client.force_login(labege_manager)

    existing = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/")
    missing = client.get("/cybersecurite/diagnostics/999999/")

    assert existing.status_code == missing.status_code == 404
    assert _without_token(existing) == _without_token(missing)


def test_odars_manager_sees_odars(client, odars_manager, odars_records):
    client.force_login(odars_manager)
    for url in _urls(*odars_records):
        if "questionnaire" in url:
            continue
        assert client.get(url).status_code == 200, url


def test_odars_manager_cannot_open_labege_or_the_programme_view(client, odars_manager, labege):
    labege_diagnostic = Diagnostic.objects.completed().get(commune=labege)
    client.force_login(odars_manager)
    for url in [
        f"/cybersecurite/diagnostics/{labege_diagnostic.pk}/",
        f"/cybersecurite/diagnostics/{labege_diagnostic.pk}/rapport.pdf",
        f"/api/cyber/diagnostics/{labege_diagnostic.pk}/plan",
        "/cybersecurite/communes/31254/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Lab" not in response.content, url
    for url in ["/cybersecurite/programme/", "/cybersecurite/programme/maturite.csv"]:
        assert client.get(url).status_code == 403


def test_api_lists_only_the_callers_commune(client, odars_manager, odars_records):
    client.force_login(odars_manager)

    rows = client.get("/api/cyber/communes/31402/diagnostics").json()

    assert {row["insee_code"] for row in rows} == {"31402"}
    assert any(row["status"] == "completed" and row["themes"] for row in rows)
    plan = client.get(f"/api/cyber/diagnostics/{odars_records[0].pk}/plan").json()
    assert plan[0]["position"] == 1 and plan[0]["is_priority"]
    assert any(row["status"] == "done" for row in plan)
    advice = client.get("/api/cyber/communes/31402/first-advice").json()
    assert advice["top_measures"]


def _without_token(response) -> str:
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode())
