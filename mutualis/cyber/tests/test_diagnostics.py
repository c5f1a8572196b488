"""Running a diagnostic: start, save and resume, complete (then frozen), cancel."""

import pytest

from mutualis.core.models import AuditEvent
from mutualis.cyber.models import Diagnostic, DiagnosticStatus, PlanMeasure, ReferentialVersion
from mutualis.cyber.scoring import PRIORITY_COUNT
from mutualis.cyber.services import CyberRefused, start_diagnostic


@pytest.fixture
def castanet(db):
    from mutualis.territory.models import Commune

    return Commune.objects.get(insee_code="31113")


def _referential():
    return ReferentialVersion.objects.current().referential


def test_outside_the_advanced_offer_a_reason_is_required(castanet, referent):
    with pytest.raises(CyberRefused, match="offre avancée"):
        start_diagnostic(commune=castanet, by=referent)
    assert not Diagnostic.objects.filter(commune=castanet).exists()


def test_referent_starts_saves_resumes_and_completes(client, castanet, referent):
    client.force_login(referent)
    response = client.post(
        f"/cybersecurite/communes/{castanet.insee_code}/diagnostics/nouveau/",
        {"reason": "Avant candidature"},
    )
    diagnostic = Diagnostic.objects.get(commune=castanet)
    assert response["Location"] == f"/cybersecurite/diagnostics/{diagnostic.pk}/questionnaire/"
    assert diagnostic.out_of_offer_reason == "Avant candidature"
    worst = _referential().worst_answers()
    first_half = dict(list(worst.items())[:10])

    client.post(
        f"/cybersecurite/diagnostics/{diagnostic.pk}/questionnaire/",
        {**first_half, "action": "save"},
    )
    diagnostic.refresh_from_db()
    assert diagnostic.answers == first_half
    assert diagnostic.status == DiagnosticStatus.DRAFT
    resumed = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/questionnaire/")
    assert f'value="{next(iter(first_half.values()))}" checked' in resumed.content.decode()

    refused = client.post(
        f"/cybersecurite/diagnostics/{diagnostic.pk}/questionnaire/", {"action": "complete"}
    )
    assert refused.status_code == 400
    assert "sans réponse" in refused.content.decode()
    diagnostic.refresh_from_db()
    assert diagnostic.is_draft

    done = client.post(
        f"/cybersecurite/diagnostics/{diagnostic.pk}/questionnaire/",
        {**worst, "action": "complete"},
    )
    assert done.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.is_completed
    assert str(diagnostic.overall) == "0.0"
    assert diagnostic.maturity_level == 1
    measures = list(PlanMeasure.objects.filter(diagnostic=diagnostic))
    assert len(measures) == len(_referential().measures)
    assert sum(m.is_priority for m in measures) == PRIORITY_COUNT
    assert (
        AuditEvent.objects.for_object(diagnostic)
        .filter(action="cyber.diagnostic_completed")
        .exists()
    )


def test_completed_diagnostic_is_frozen(client, referent, odars):
    diagnostic = Diagnostic.objects.completed().filter(commune=odars).first()
    answers_before = dict(diagnostic.answers)
    client.force_login(referent)
    question = next(iter(answers_before))
    other = next(
        a.id for a in _referential().question(question).answers if a.id != answers_before[question]
    )

    response = client.post(
        f"/cybersecurite/diagnostics/{diagnostic.pk}/questionnaire/",
        {question: other, "action": "save"},
    )

    assert response.status_code == 302
    diagnostic.refresh_from_db()
    assert diagnostic.answers == answers_before


def test_only_one_draft_at_a_time(odars, referent):
    with pytest.raises(CyberRefused, match="déjà en cours"):
        start_diagnostic(commune=odars, by=referent, reason="x")


def test_follow_up_points_to_the_previous_diagnostic(odars):
    draft = Diagnostic.objects.get(commune=odars, status=DiagnosticStatus.DRAFT)
    assert draft.previous == Diagnostic.objects.completed().get(commune=odars)


def test_draft_is_cancelled_with_a_reason_never_deleted(client, referent, odars):
    draft = Diagnostic.objects.get(commune=odars, status=DiagnosticStatus.DRAFT)
    client.force_login(referent)

    client.post(f"/cybersecurite/diagnostics/{draft.pk}/annuler/", {"reason": ""})
    draft.refresh_from_db()
    assert draft.is_draft
    client.post(
        f"/cybersecurite/diagnostics/{draft.pk}/annuler/", {"reason": "Commencé par erreur"}
    )

    draft.refresh_from_db()
    assert draft.status == DiagnosticStatus.CANCELLED
    assert (draft.cancelled_by, draft.cancel_reason) == (referent, "Commencé par erreur")
    page = client.get(f"/cybersecurite/diagnostics/{draft.pk}/").content.decode()
    assert "Commencé par erreur" in page


def test_commune_manager_reads_but_cannot_run_the_questionnaire(client, odars_manager, odars):
    draft = Diagnostic.objects.get(commune=odars, status=DiagnosticStatus.DRAFT)
    client.force_login(odars_manager)

    assert client.get(f"/cybersecurite/diagnostics/{draft.pk}/").status_code == 200
    assert client.get(f"/cybersecurite/diagnostics/{draft.pk}/questionnaire/").status_code == 403
    assert client.post("/cybersecurite/communes/31402/diagnostics/nouveau/").status_code == 403


def test_completed_page_shows_scores_radar_plan_and_comparison(client, referent, labege):
    diagnostic = Diagnostic.objects.completed().get(commune=labege)
    client.force_login(referent)

    page = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/").content.decode()

    assert "<svg" in page and "Score par thème" in page
    assert "prioritaire" in page
    for theme in _referential().themes:
        assert theme.title.replace("'", "&#x27;") in page


def test_report_pdf_has_context_scores_priority_measures_and_signature(client, referent, odars):
    import io

    from pdfminer.high_level import extract_text

    diagnostic = Diagnostic.objects.completed().get(commune=odars)
    client.force_login(referent)

    response = client.get(f"/cybersecurite/diagnostics/{diagnostic.pk}/rapport.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(extract_text(io.BytesIO(response.content)).split())
    assert "Odars" in text and "Contexte" in text
    assert "Les mesures prioritaires" in text and "Pourquoi" in text and "Comment" in text
    assert "Le plan de remédiation complet" in text
    assert "Le référent technique du service commun" in text and "Romain Référent" in text
    first = diagnostic.measures.order_by("position").first()
    assert first.title[:30] in text
