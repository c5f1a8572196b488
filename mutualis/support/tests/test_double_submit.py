"""A support request or message posted twice with the same form (double click) is created once."""

import re

from mutualis.support.models import SupportEvent, SupportRequest


def _token(page: str) -> str:
    return re.search(r'name="submission" value="([0-9a-f]+)"', page).group(1)


def test_new_request_posted_twice_creates_one_request(client, odars_manager, odars):
    client.force_login(odars_manager)
    token = _token(client.get("/support/nouvelle/").content.decode())
    data = {"commune": odars.pk, "category": "platform", "urgency": "normal",
            "subject": "Double clic", "description": "Une fois", "submission": token}  # fmt: skip

    first = client.post("/support/nouvelle/", data)
    second = client.post("/support/nouvelle/", data, follow=True)

    assert first.status_code == 302
    assert SupportRequest.objects.filter(subject="Double clic").count() == 1
    assert "déjà été envoyé" in second.content.decode()


def test_message_posted_twice_is_added_once(client, odars_manager, odars):
    support = SupportRequest.objects.filter(commune=odars, closed_at__isnull=True).first()
    client.force_login(odars_manager)
    url = f"/support/demandes/{support.pk}/"
    token = _token(client.get(url).content.decode())

    for _ in range(2):
        client.post(f"{url}message/", {"body": "Bis repetita", "submission": token})

    assert SupportEvent.objects.filter(request=support, body="Bis repetita").count() == 1
