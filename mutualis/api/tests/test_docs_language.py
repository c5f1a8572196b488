"""The API docs page states its language for screen readers."""


def test_api_docs_page_declares_french(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/api/docs").content.decode()

    assert '<html lang="fr">' in page
