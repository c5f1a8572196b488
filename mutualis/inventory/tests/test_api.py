import pytest


@pytest.mark.django_db
def test_inventory_and_continuity_api_follow_the_page_rules(
    client, odars_manager, labege_manager, coordinator
):
    client.force_login(odars_manager)
    assets = client.get("/api/inventory/communes/31402/assets").json()
    assert any(a["name"] == "PC-ACCUEIL" and a["support_status"] == "ended" for a in assets)
    assert client.get("/api/continuity/communes/31402").json()["contacts"][0]["function"] == "Maire"
    assert client.get("/api/inventory/software-matrix").status_code == 403
    client.force_login(labege_manager)
    for url in [
        "/api/inventory/communes/31402/assets",
        "/api/inventory/communes/31402/software",
        "/api/continuity/communes/31402",
    ]:
        response = client.get(url)
        assert response.status_code == 404 and b"Odars" not in response.content
    client.force_login(coordinator)
    matrix = client.get("/api/inventory/software-matrix").json()
    assert any(row["domain"] == "civil_status" and row["harmonisable"] for row in matrix)
