"""Dashboards, CSV exports and isolation: a commune's people never see another commune's results;
a manager sees only their own agents; figures about other communes never reveal one of them."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.awareness import services, stats
from mutualis.awareness.models import Attestation, AwarenessModule
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_coordinator_sees_every_commune_a_chart_and_its_table(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("awareness:results"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "Par mois" in page
    names = [f.commune.name for f in response.context["result"].communes]
    assert "Odars" in names and "Labège" in names and len(names) == 36


def test_figures_count_passes_scores_and_on_site_attendance():
    odars, labege = Commune.objects.get(insee_code="31402"), Commune.objects.get(insee_code="31254")
    result = stats.figures([odars, labege])
    by_name = {f.commune.name: f for f in result.communes}
    assert by_name["Odars"].people == 2 and by_name["Odars"].passes == 2
    assert by_name["Odars"].trained == 1 and by_name["Odars"].trained_rate == 50
    # Labège: labege-it passed 3 modules online; 4 people were present at the on-site session
    # (labege-it and the manager have accounts, two attendees have none).
    assert by_name["Labège"].present == 4 and by_name["Labège"].sessions_held == 1
    assert by_name["Labège"].trained == 4
    phishing = next(m for m in result.modules if m.module.slug == "phishing")
    assert phishing.onsite == 4 and phishing.passes == 2


def test_the_coordinator_csv_has_one_row_per_commune(client, coordinator):
    client.force_login(coordinator)
    rows = _csv(client.get(reverse("awareness:results_csv")))
    assert rows[0][:3] == ["Code INSEE", "Commune", "Personnes"]
    odars = next(row for row in rows if row[0] == "31402")
    assert odars[1:5] == ["Odars", "2", "1", "50"]
    assert len(rows) == 37


def test_a_manager_is_sent_to_their_own_commune_and_sees_their_agents(client, odars_manager):
    client.force_login(odars_manager)
    response = client.get(reverse("awareness:results"))
    assert response["Location"] == reverse("awareness:commune_results", args=["31402"])
    page = client.get(response["Location"]).content.decode()
    assert "Alain Agent-Odars" in page and "86 %" in page
    assert "Castanet" not in page and "Labège" not in page and "DSI-Labège" not in page


def test_a_manager_csv_lists_only_their_own_agents(client, odars_manager):
    client.force_login(odars_manager)
    rows = _csv(client.get(reverse("awareness:commune_results_csv", args=["31402"])))
    assert {row[1] for row in rows[1:]} == {"odars-manager", "odars-agent"}
    rows = _csv(client.get(reverse("awareness:results_csv")))
    assert [row[0] for row in rows[1:]] == ["31402"]


def test_labege_people_never_see_odars_results(client, labege_manager, labege_it, odars_agent):
    attestation = Attestation.objects.filter(user=odars_agent).first()
    for user in (labege_manager, labege_it):
        client.force_login(user)
        for url in [
            reverse("awareness:commune_results", args=["31402"]),
            reverse("awareness:commune_results_csv", args=["31402"]),
            reverse("awareness:attestation", args=[attestation.number]),
            reverse("awareness:attestation", args=["SENS-2026-999999"]),
            "/api/awareness/communes/31402",
        ]:
            response = client.get(url)
            assert response.status_code in {403, 404}, (user, url)
            assert b"Odars" not in response.content, (user, url)
        listing = client.get("/api/awareness/communes")
        assert b"Odars" not in listing.content


def test_an_agent_sees_no_results_but_their_own(client, odars_agent):
    client.force_login(odars_agent)
    assert client.get(reverse("awareness:results")).status_code == 403
    assert client.get(reverse("awareness:commune_results", args=["31402"])).status_code == 403
    assert client.get(reverse("awareness:results_csv")).status_code == 403
    assert client.get("/api/awareness/communes/31402").status_code == 403
    mine = client.get("/api/awareness/progress").json()
    assert {row["module"] for row in mine} == {"passwords", "phishing", "email"}


def test_the_commune_manager_sees_other_communes_only_together(client, odars_manager):
    client.force_login(odars_manager)
    comparison = client.get(reverse("awareness:commune_results", args=["31402"])).context[
        "comparison"
    ]
    assert comparison is not None and comparison.communes >= stats.MIN_COMMUNES_FOR_COMPARISON


def test_no_comparison_when_too_few_other_communes_have_results(odars):
    from django.utils import timezone

    from mutualis.accounts.models import CommuneRole
    from mutualis.awareness.models import Attendee

    assert stats.comparison_for(odars) is not None
    # Only Castanet keeps people with results besides Odars: its figures alone must not be
    # shown to Odars as "the other communes".
    CommuneRole.objects.exclude(commune__insee_code__in={"31402", "31113"}).update(
        ended_at=timezone.now()
    )
    Attendee.objects.update(present=False)
    assert stats.comparison_for(odars) is None


def test_observers_see_figures_but_no_names(client, observer):
    client.force_login(observer)
    response = client.get(reverse("awareness:commune_results", args=["31402"]))
    assert response.status_code == 200 and "Alain Agent-Odars" not in response.content.decode()
    rows = _csv(client.get(reverse("awareness:commune_results_csv", args=["31402"])))
    assert rows[0][0] == "Module"
    assert client.get("/api/awareness/communes/31402").json()["people"] is None


def _more_results(batch: int):
    """Results for another commune's agents, to check that queries do not grow with data."""
    from mutualis.accounts.models import User
    from mutualis.accounts.services import grant_commune_role

    commune = Commune.objects.get(insee_code="31057")
    version = AwarenessModule.objects.get(slug="backups").current_version
    answers = {q.id: sorted(q.correct_ids) for q in version.content.quiz}
    for n in range(4):
        user = User.objects.create(username=f"extra-{batch}-{n}", last_name=f"{batch}{n}")
        grant_commune_role(user=user, commune=commune, role="agent", by=None)
        services.submit_quiz(user=user, commune=commune, version=version, answers=answers)


@pytest.mark.parametrize(
    "url",
    [
        reverse("awareness:results"),
        reverse("awareness:results_csv"),
        reverse("awareness:commune_results", args=["31057"]),
        reverse("awareness:home"),
        reverse("awareness:campaigns"),
        reverse("awareness:sessions"),
    ],
)
def test_list_pages_use_a_bounded_number_of_queries(client, coordinator, url):
    client.force_login(coordinator)
    _more_results(1)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _more_results(2)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before) and len(before) <= 30, (len(before), len(after))


def test_csv_cells_are_never_read_as_formulas(client, odars_manager, odars_agent):
    odars_agent.first_name, odars_agent.last_name = "=HYPERLINK(1)", "x"
    odars_agent.save()
    client.force_login(odars_manager)
    rows = _csv(client.get(reverse("awareness:commune_results_csv", args=["31402"])))
    assert "'=HYPERLINK(1) x" in [row[0] for row in rows]
