"""A diagnostic in progress shows how far it is (« en cours : 24 réponses sur 52 »), never a
score or a maturity level; both appear once it is completed."""

import pytest

from mutualis.cyber.models import Diagnostic, DiagnosticStatus
from mutualis.cyber.services import save_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(odars, referent):
    draft = Diagnostic.objects.get(commune=odars, status=DiagnosticStatus.DRAFT)
    worst = draft.referential.worst_answers()
    save_answers(diagnostic=draft, answers=dict(list(worst.items())[:5]), by=referent)
    draft.refresh_from_db()
    return draft


def test_the_draft_page_shows_progress_not_a_score(client, referent, draft):
    result = draft.result()
    client.force_login(referent)
    page = client.get(f"/cybersecurite/diagnostics/{draft.pk}/").content.decode()
    assert f"En cours : {result.answered} réponses sur {result.questions}." in page
    assert result.answered >= 5 and result.questions > result.answered
    assert 'class="score"' not in page and "/ 100 — maturité" not in page
    assert result.maturity is None or f"« {result.maturity.label} »" not in page


def test_the_api_gives_no_score_for_a_draft(client, referent, draft):
    client.force_login(referent)
    data = client.get(f"/api/cyber/diagnostics/{draft.pk}").json()
    assert (data["overall"], data["maturity_level"], data["maturity_label"]) == (None, None, "")
    assert all(theme["score"] is None for theme in data["themes"])
    assert data["answered"] == draft.result().answered and data["questions"] > data["answered"]


def test_a_completed_diagnostic_shows_its_score_and_dont_know_count(client, referent, odars):
    done = Diagnostic.objects.completed().filter(commune=odars).first()
    client.force_login(referent)
    page = client.get(f"/cybersecurite/diagnostics/{done.pk}/").content.decode()
    assert 'class="score"' in page and "maturité" in page and "« Je ne sais pas »" in page
    assert client.get(f"/api/cyber/diagnostics/{done.pk}").json()["overall"] is not None
