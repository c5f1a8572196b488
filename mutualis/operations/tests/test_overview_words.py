"""The Exploitation page names jobs by what they do and periods in days, not code and reprs."""


def test_overview_shows_job_titles_and_periods_in_words(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/exploitation/").content.decode()

    assert "Envoie les courriels en attente" in page
    assert "<td>1 jour</td>" in page and "<td>1 minute</td>" in page
    assert "1 day, 0:00:00" not in page and "<code>send_outbox</code>" not in page
