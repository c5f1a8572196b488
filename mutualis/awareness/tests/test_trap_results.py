"""« Repérez le piège » results, per commune and for the programme (tries, share of the
suspicious parts found): on the results pages, in the API and in the review; what a commune sees
about the others is an aggregate that cannot reveal one of them."""

import pytest
from django.utils import timezone

from mutualis.awareness import services, stats
from mutualis.awareness.models import AwarenessModule, Progress
from mutualis.programme.services import shipped_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def tried(odars, odars_agent):
    """Odars' agent tries the first exercise and finds one sign out of all."""
    Progress.objects.update(exercise_answers={})  # start from no exercise done anywhere
    version = AwarenessModule.objects.get(slug="social-engineering").current_version
    exercise = version.content.exercises[0]
    services.submit_exercise(
        user=odars_agent,
        commune=odars,
        version=version,
        exercise=exercise,
        clicked=[exercise.signs[0].id],
    )
    return len(exercise.signs)


def test_figures_aggregate_tries_per_commune_and_programme(odars, tried):
    result = stats.figures(stats.programme_communes(shipped_programme()))
    odars_fig = next(f for f in result.communes if f.commune == odars)
    assert (odars_fig.traps.attempts, odars_fig.traps.found, odars_fig.traps.shown) == (
        1,
        1,
        tried,
    )
    assert odars_fig.traps.share_found == round(100 / tried)
    assert (result.traps.attempts, result.traps.found) == (1, 1)


def test_pages_and_api_show_the_results(client, coordinator, odars_manager, tried):
    share = round(100 / tried)
    client.force_login(coordinator)
    overview = client.get("/sensibilisation/resultats/").content.decode()
    assert "« Repérez le piège », toutes communes : 1 essais" in overview
    api = client.get("/api/awareness/communes").json()
    odars_row = next(row for row in api if row["insee_code"] == "31402")
    assert (odars_row["trap_attempts"], odars_row["traps_found_share"]) == (1, share)
    client.force_login(odars_manager)
    page = client.get("/sensibilisation/resultats/31402/").content.decode()
    assert f"{share} %</strong> des pièges repérés (1 essai)" in page


def test_the_review_carries_the_results(programme, tried):
    from mutualis.reviews.services import compute_review

    review, _ = compute_review(programme=programme, day=timezone.localdate())
    section = next(s for s in review.figures["sections"] if s["key"] == "awareness")
    figures = {f["key"]: f for f in section["figures"]}
    assert figures["trap_attempts"]["value"] == 1
    assert figures["trap_attempts"]["by_commune"] == {"31402": 1}
    assert figures["traps_found_share"]["communes"] == 1  # hidden in the commune version (< 3)
