"""The awareness API: the catalogue, my progress, commune results, under the pages' rules."""

import pytest

from mutualis.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_catalogue_lists_the_nine_modules_with_their_version(client, observer):
    client.force_login(observer)
    modules = client.get("/api/awareness/modules").json()
    assert len(modules) == 9
    phishing = next(m for m in modules if m["slug"] == "phishing")
    assert phishing["version"] == 1 and phishing["exercises"] == 2 and phishing["questions"] == 7


def test_my_progress_names_the_version_and_attestation(odars_agent, client):
    _token, key = ApiToken.issue(user=odars_agent, name="essai")
    rows = client.get("/api/awareness/progress", headers={"Authorization": f"Bearer {key}"}).json()
    passed = {r["module"]: r for r in rows if r["passed_at"]}
    assert set(passed) == {"passwords", "phishing"}
    assert passed["phishing"]["attestation"].startswith("SENS-")
    assert passed["phishing"]["commune"] == "31402" and passed["phishing"]["version"] == 1
    email = next(r for r in rows if r["module"] == "email")
    assert email["passed_at"] is None and 0 < email["percent"] < 100


def test_a_manager_gets_their_commune_with_their_agents(client, odars_manager):
    client.force_login(odars_manager)
    assert [c["insee_code"] for c in client.get("/api/awareness/communes").json()] == ["31402"]
    data = client.get("/api/awareness/communes/31402").json()
    assert data["figures"]["people"] == 2
    agent = next(p for p in data["people"] if p["username"] == "odars-agent")
    assert agent["passed"] == ["passwords", "phishing"] and agent["scores"]["phishing"] == 100


def test_the_coordinator_gets_every_commune(client, coordinator):
    client.force_login(coordinator)
    rows = client.get("/api/awareness/communes").json()
    assert len(rows) == 36
    labege = next(r for r in rows if r["insee_code"] == "31254")
    assert labege["present"] == 4 and labege["sessions_held"] == 1
