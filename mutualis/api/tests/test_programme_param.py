"""API endpoints take ?programme=SLUG, defaulting as pages do; a programme the caller may not see
is not found."""

import pytest

from mutualis.programme.tests.second_programme import load_second_programme

pytestmark = pytest.mark.django_db


def test_members_follow_the_programme_named_or_the_callers_default(client, coordinator):
    second, bellevue = load_second_programme()
    client.force_login(coordinator)
    sicoval = {row["commune"] for row in client.get("/api/members").json()}
    assert "Odars" in sicoval
    client.force_login(bellevue)
    assert client.get("/api/programme").json()["programme"]["slug"] == second.slug
    assert "Odars" not in {row["commune"] for row in client.get("/api/members").json()}
    assert client.get("/api/members", {"programme": "sicoval-2024"}).status_code == 404
