"""The base offer's self-assessment: a commune manager takes it alone and sees its advice."""

from html import escape

from mutualis.core.models import AuditEvent
from mutualis.cyber.models import FirstAdviceRecord, ReferentialVersion


def _questions():
    return ReferentialVersion.objects.current().referential.first_advice_questions()


def _worst():
    ref = ReferentialVersion.objects.current().referential
    worst = ref.worst_answers()
    return {q.id: worst[q.id] for q in _questions()}


def test_manager_takes_the_self_assessment_and_sees_top_measures(client, odars_manager, odars):
    client.force_login(odars_manager)
    form = client.get("/cybersecurite/communes/31402/premier-conseil/")
    assert form.status_code == 200
    assert all(escape(q.text) in form.content.decode() for q in _questions())
    before = FirstAdviceRecord.objects.filter(commune=odars).count()

    response = client.post("/cybersecurite/communes/31402/premier-conseil/", _worst(), follow=True)

    assert FirstAdviceRecord.objects.filter(commune=odars).count() == before + 1
    record = FirstAdviceRecord.objects.filter(commune=odars).first()
    assert record.taken_by == odars_manager
    assert str(record.score) == "0.0"
    page = response.content.decode()
    assert "Les mesures à prendre d" in page
    assert "Ce que l'offre avancée ajouterait" in page
    for item in record.result().top_measures:
        assert escape(item.title) in page
    assert AuditEvent.objects.for_object(record).filter(action="cyber.first_advice").exists()


def test_history_is_kept(client, odars_manager, odars):
    client.force_login(odars_manager)
    client.post("/cybersecurite/communes/31402/premier-conseil/", _worst())
    client.post("/cybersecurite/communes/31402/premier-conseil/", _worst())

    page = client.get("/cybersecurite/communes/31402/").content.decode()

    assert FirstAdviceRecord.objects.filter(commune=odars).count() >= 3
    assert "Historique des autodiagnostics" in page


def test_missing_answers_are_refused_with_a_french_message_and_nothing_saved(
    client, odars_manager, odars
):
    client.force_login(odars_manager)
    answers = _worst()
    answers.pop(next(iter(answers)))
    before = FirstAdviceRecord.objects.count()

    response = client.post("/cybersecurite/communes/31402/premier-conseil/", answers)

    assert response.status_code == 400
    assert "Répondez à toutes les questions (1 sans réponse)" in response.content.decode()
    assert "Réponse manquante" in response.content.decode()
    assert FirstAdviceRecord.objects.count() == before


def test_unknown_answer_is_refused(client, odars_manager):
    client.force_login(odars_manager)
    answers = _worst()
    answers[next(iter(answers))] = "peut-etre"

    response = client.post("/cybersecurite/communes/31402/premier-conseil/", answers)

    assert response.status_code == 400
    assert "peut-etre" in response.content.decode()


def test_agent_cannot_take_it_and_labege_cannot_see_odars(client, odars_agent, labege_manager):
    client.force_login(odars_agent)
    assert client.get("/cybersecurite/communes/31402/premier-conseil/").status_code == 404
    client.force_login(labege_manager)
    assert client.get("/cybersecurite/communes/31402/premier-conseil/").status_code == 404
    assert (
        client.post("/cybersecurite/communes/31402/premier-conseil/", _worst()).status_code == 404
    )
    record = FirstAdviceRecord.objects.filter(commune__insee_code="31402").first()
    response = client.get(f"/cybersecurite/premier-conseil/{record.pk}/")
    assert response.status_code == 404
    assert b"Odars" not in response.content
