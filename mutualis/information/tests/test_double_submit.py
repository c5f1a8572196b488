"""An experience thread or a reply posted twice with the same form (double click) is made once."""

import re

from mutualis.information.models import Message, Thread


def _token(page: str) -> str:
    return re.search(r'name="submission" value="([0-9a-f]+)"', page).group(1)


def test_thread_and_reply_posted_twice_are_created_once(client, referent):
    client.force_login(referent)
    token = _token(client.get("/information/echanges/nouveau/").content.decode())
    data = {"title": "Double clic", "body": "Une fois", "submission": token}

    client.post("/information/echanges/nouveau/", data)
    second = client.post("/information/echanges/nouveau/", data, follow=True)

    assert Thread.objects.filter(title="Double clic").count() == 1
    assert "déjà été envoyé" in second.content.decode()
    thread = Thread.objects.get(title="Double clic")
    url = f"/information/echanges/{thread.pk}/"
    token = _token(client.get(url).content.decode())
    for _ in range(2):
        client.post(url, {"body": "Bis repetita", "submission": token})
    assert Message.objects.filter(thread=thread, body="Bis repetita").count() == 1
