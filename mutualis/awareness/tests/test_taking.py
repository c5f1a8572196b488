"""Taking a module as an agent: lessons saved step by step, exercises without JavaScript, quiz,
retries, and the attestation."""

import pytest
from django.urls import reverse

from mutualis.awareness.models import Attestation, AwarenessModule, Progress, QuizAttempt
from mutualis.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def updates():
    return AwarenessModule.objects.select_related("current_version").get(slug="updates")


def _step_url(slug, number):
    return reverse("awareness:step", args=[slug, number])


def _right_answers(version):
    return {q.id: sorted(q.correct_ids) for q in version.content.quiz}


def test_reading_a_section_saves_progress_and_moves_on(client, odars_agent, updates):
    client.force_login(odars_agent)
    response = client.get(_step_url("updates", 1))
    assert response.status_code == 200
    assert b'<progress id="module-progress"' in response.content
    assert not Progress.objects.filter(user=odars_agent, module_version__module=updates).exists()
    response = client.post(_step_url("updates", 1))
    assert response["Location"] == _step_url("updates", 2)
    progress = Progress.objects.get(user=odars_agent, module_version=updates.current_version)
    assert progress.steps_done == ["s1"] and progress.commune.insee_code == "31402"


def test_the_module_page_resumes_at_the_first_step_not_done(client, odars_agent, updates):
    client.force_login(odars_agent)
    client.post(_step_url("updates", 1))
    client.post(_step_url("updates", 2))
    response = client.get(reverse("awareness:module", args=["updates"]))
    assert response.context["next_step"] == 3
    assert "Reprendre là où je me suis arrêté" in response.content.decode()


def test_a_step_beyond_the_module_is_not_found(client, odars_agent, updates):
    client.force_login(odars_agent)
    assert client.get(_step_url("updates", 99)).status_code == 404
    assert client.get(_step_url("nope", 1)).status_code == 404


def test_staff_cannot_take_a_module(client, coordinator):
    client.force_login(coordinator)
    assert client.get(_step_url("updates", 1)).status_code == 403


def _exercise_step(version, exercise_id):
    keys = [key for key, _kind, _title in version.steps()]
    return keys.index(f"e:{exercise_id}") + 1


def test_the_exercise_toggles_clicks_without_javascript(client, odars_agent):
    module = AwarenessModule.objects.get(slug="phishing")
    version = module.current_version
    number = _exercise_step(version, "changement-rib")
    client.force_login(odars_agent)
    url = _step_url("phishing", number)
    page = client.get(url).content.decode()
    assert page.count('aria-pressed="false"') == 6  # 5 signs and 1 decoy, all alike
    page = client.post(url, {"toggle": "iban"}).content.decode()
    assert 'value="iban" class="trap" aria-pressed="true" autofocus' in page
    assert '<input type="hidden" name="clicked" value="iban">' in page
    page = client.post(url, {"toggle": "iban", "clicked": ["iban"]}).content.decode()
    assert 'aria-pressed="true"' not in page


def test_validating_the_exercise_explains_found_missed_and_false_alarms(client, odars_agent):
    version = AwarenessModule.objects.get(slug="social-engineering").current_version
    exercise = version.content.exercises[0]
    signs = [s.id for s in exercise.signs]
    decoy = exercise.decoys[0]
    client.force_login(odars_agent)
    response = client.post(
        _step_url("social-engineering", _exercise_step(version, exercise.id)),
        {"clicked": [signs[0], decoy.id, "made-up"], "action": "validate"},
    )
    page = response.content.decode()
    assert f"Vous avez repéré 1 signe sur {len(signs)}." in page
    assert "Les signes qui vous ont échappé" in page and "Les fausses alertes" in page
    assert exercise.signs[1].explanation.split()[0] in page
    assert decoy.explanation[:30] in page.replace("&#x27;", "'")
    progress = Progress.objects.get(user=odars_agent, module_version=version)
    assert progress.exercise_answers[exercise.id] == {
        "clicked": sorted([signs[0], decoy.id]),
        "found": 1,
        "signs": len(signs),
        "false_alarms": 1,
    }
    assert f"e:{exercise.id}" in progress.steps_done


def test_an_incomplete_quiz_is_sent_back_with_the_missing_questions(client, odars_agent, updates):
    client.force_login(odars_agent)
    quiz_step = len(updates.current_version.steps())
    first = updates.current_version.content.quiz[0]
    response = client.post(_step_url("updates", quiz_step), {first.id: [first.choices[0].id]})
    assert response.status_code == 200
    assert "questions sont restées sans réponse" in response.content.decode()
    assert "checked" in response.content.decode()
    assert (
        not QuizAttempt.objects.filter(progress__user=odars_agent)
        .filter(progress__module_version=updates.current_version)
        .exists()
    )


def test_a_failed_quiz_can_be_retried_and_a_pass_issues_one_attestation(
    client, odars_agent, updates
):
    version = updates.current_version
    client.force_login(odars_agent)
    quiz_url = _step_url("updates", len(version.steps()))
    wrong = {q.id: [next(c.id for c in q.choices if not c.correct)] for q in version.content.quiz}
    response = client.post(quiz_url, wrong)
    attempt = QuizAttempt.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert not attempt.passed and attempt.percentage == 0
    page = client.get(response["Location"]).content.decode()
    assert "Il faut 70 % pour réussir" in page and "Refaire le quiz" in page
    assert not Attestation.objects.filter(user=odars_agent, module_version=version).exists()

    response = client.post(quiz_url, _right_answers(version))
    page = client.get(response["Location"]).content.decode()
    assert "Bravo, vous avez réussi le module" in page
    attestation = Attestation.objects.get(user=odars_agent, module_version=version)
    assert attestation.number.startswith("SENS-") and attestation.percentage == 100
    assert reverse("awareness:attestation", args=[attestation.number]) in page
    client.post(quiz_url, _right_answers(version))  # a second pass issues nothing new
    assert Attestation.objects.filter(user=odars_agent, module_version=version).count() == 1
    progress = Progress.objects.get(user=odars_agent, module_version=version)
    assert progress.quiz_attempts == 3 and progress.best_percentage == 100
    assert AuditEvent.objects.filter(action="awareness.attestation_issued").exists()


def test_the_attestation_is_a_pdf_naming_person_commune_module_score_and_number(
    client, odars_agent
):
    attestation = Attestation.objects.filter(user=odars_agent).first()
    client.force_login(odars_agent)
    response = client.get(reverse("awareness:attestation", args=[attestation.number]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from io import BytesIO

    from pdfminer.high_level import extract_text

    text = extract_text(BytesIO(response.content))
    for expected in [
        "Alain Agent-Odars",
        "Odars",
        attestation.module_version.title,
        f"{attestation.percentage} %",
        attestation.number,
        attestation.verification_code,
    ]:
        assert expected in text, expected


def test_the_attempt_page_of_someone_else_is_not_found(client, odars_manager, odars_agent):
    attempt = QuizAttempt.objects.filter(progress__user=odars_agent).first()
    slug = attempt.progress.module_version.module.slug
    client.force_login(odars_manager)
    response = client.get(reverse("awareness:quiz_result", args=[slug, attempt.pk]))
    assert response.status_code == 404


def test_an_agent_sees_what_is_due(client, odars_agent):
    client.force_login(odars_agent)
    page = client.get(reverse("awareness:home")).content.decode()
    assert "Odars : sauvegardes et incidents" in page
    assert "Les essentiels de la cybersécurité 2026" in page
    due = {
        item["campaign"].title: item["left"]
        for item in client.get(reverse("awareness:home")).context["due"]
    }
    assert [m.slug for m in due["Les essentiels de la cybersécurité 2026"]] == ["email"]


def test_verifying_an_attestation_needs_its_number_and_code(client, labege_manager, odars_agent):
    attestation = Attestation.objects.filter(user=odars_agent).first()
    client.force_login(labege_manager)
    url = reverse("awareness:verify")
    page = client.get(url, {"number": attestation.number, "code": "WRONG"}).content.decode()
    assert "Aucune attestation ne correspond" in page and "Odars" not in page
    page = client.get(
        url, {"number": attestation.number, "code": attestation.verification_code.lower()}
    ).content.decode()
    assert "Attestation valide" in page
