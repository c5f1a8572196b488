import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.accounts.models import ApiToken
from mutualis.territory.models import Commune


@pytest.mark.django_db
def test_openapi_description_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/communes" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


@pytest.mark.django_db
def test_anonymous_calls_are_refused(client):
    assert client.get("/api/communes").status_code == 401


@pytest.mark.django_db
def test_token_auth_and_commune_isolation(client, labege_manager):
    _, key = ApiToken.issue(user=labege_manager, name="test")
    headers = {"Authorization": f"Bearer {key}"}
    listed = client.get("/api/communes", headers=headers).json()
    assert [c["insee_code"] for c in listed["items"]] == ["31254"]
    response = client.get("/api/communes/31402", headers=headers)
    assert response.status_code == 404
    assert "Odars" not in response.content.decode()
    assert (
        client.get("/api/communes/31254", headers=headers).json()["populations"][-1]["vintage"]
        == 2026
    )


@pytest.mark.django_db
def test_revoked_token_is_refused(client, coordinator):
    from django.utils import timezone

    token, key = ApiToken.issue(user=coordinator, name="old")
    token.revoked_at = timezone.now()
    token.save()
    assert (
        client.get("/api/communes", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    )


@pytest.mark.django_db
def test_staff_sees_every_commune_and_the_programme(client, observer):
    client.force_login(observer)
    assert client.get("/api/communes?limit=100").json()["count"] == 36
    programme = client.get("/api/programme").json()
    assert programme["programme"]["slug"] == "sicoval-2024"
    members = client.get("/api/members").json()
    assert {
        "commune": "Odars",
        "insee_code": "31402",
        "offer": "Socle de base",
        "status": "joined",
    } in members


@pytest.mark.django_db
def test_commune_list_rows_and_queries(client, observer):
    # Staff assigned to no programme serve the whole instance: every commune of France, one without
    # an EPCI included (staff assigned to a programme see its territory's communes).
    observer.programme_assignments.all().delete()
    client.force_login(observer)
    Commune.objects.filter(insee_code="31254").update(epci=None)
    client.get("/api/communes")  # warm: session, user, devices read once

    def counts() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/api/communes?limit=2&offset=0").json()
        assert page["count"] == Commune.objects.count()
        return [
            q["sql"] for q in queries if "COUNT(" in q["sql"] and "territory_commune" in q["sql"]
        ]

    # Counted on the commune table alone (a join to the EPCIs made it scan: 7 ms for France).
    counted = counts()
    assert len(counted) == 1 and "JOIN" not in counted[0]
    page = client.get("/api/communes?limit=2&offset=0").json()
    odars = client.get("/api/communes?q=31402").json()["items"][0]
    labege = client.get("/api/communes?q=31254").json()["items"][0]
    assert page["count"] == 36 and len(page["items"]) == 2
    assert odars == {
        "insee_code": "31402",
        "siren": Commune.objects.get(insee_code="31402").siren,
        "name": "Odars",
        "epci_siren": Commune.objects.get(insee_code="31402").epci.siren,
        "is_active": True,
        "has_it_department": False,
        "population_total": odars["population_total"],
        "population_vintage": 2026,
    }
    assert odars["population_total"] > 0
    assert labege["epci_siren"] is None


@pytest.mark.django_db
def test_staff_lists_of_memberships_read_every_row_without_a_commune_subquery(client, observer):
    from mutualis.membership.models import Deliberation, Membership

    client.force_login(observer)
    client.get("/api/memberships")  # warm: session, user, devices read once
    with CaptureQueriesContext(connection) as queries:
        memberships = client.get("/api/memberships?limit=100").json()
        deliberations = client.get("/api/deliberations?limit=100").json()
    assert memberships["count"] == Membership.objects.count() > 0
    assert deliberations["count"] == Deliberation.objects.count()
    listed = [q["sql"] for q in queries if "membership_" in q["sql"]]
    assert listed and not [sql for sql in listed if '"territory_commune"."id" FROM' in sql]
    labels = {m["status"]: m["status_label"] for m in memberships["items"]}
    assert labels.get("joined") == "Adhérente (socle de base)"


@pytest.mark.django_db
def test_the_docs_page_is_french_and_loads_only_same_origin_assets(client):
    import re

    response = client.get("/api/docs")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_write_endpoints_document_their_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    writes = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"post", "put", "patch", "delete"}
    ]
    assert len(writes) >= 5
    for operation in writes:
        assert {"400", "401", "403", "404", "422"} <= set(operation["responses"]), operation
    assert schema["components"]["schemas"]["Erreur"]["properties"]["detail"]
