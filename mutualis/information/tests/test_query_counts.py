"""List pages run a bounded number of queries, whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mutualis.information import services
from mutualis.information.enums import DocumentKind
from mutualis.information.models import Document, Folder, Post
from mutualis.information.tests.factories import published_post, upload
from mutualis.programme.services import shipped_programme

pytestmark = pytest.mark.django_db

PAGES = [
    ("odars_agent", "information:posts", {}),
    ("odars_agent", "information:library", {}),
    ("odars_agent", "information:search", {"q": "charge"}),
    ("labege_it", "information:threads", {}),
    ("coordinator", "information:drafts", {}),
    ("coordinator", "information:feeds", {}),
    ("coordinator", "information:library", {}),
]


def _grow(coordinator, odars, n: int) -> None:
    folder = Folder.objects.get(name="Guides")
    for i in range(n):
        published_post(f"Charge {i}", communes=[odars] if i % 2 else ())
        services.save_document(
            document=Document(title=f"Charge {i}", kind=DocumentKind.GUIDE, folder=folder),
            by=coordinator,
            upload=upload(),
        )
        services.save_document(
            document=Document(
                title=f"Charge Odars {i}", kind=DocumentKind.OTHER, owner_commune=odars
            ),
            by=coordinator,
            upload=upload(),
        )
        services.start_thread(
            programme=shipped_programme(),
            title=f"Charge {i}",
            body="charge",
            by=coordinator,
            commune=None,
        )
        services.save_post(
            post=Post(title=f"Brouillon charge {i}", category="news"), by=coordinator
        )


def _count(client, user, name, params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "name", "params"), PAGES, ids=[p[1].split(":")[1] + "-" + p[0] for p in PAGES]
)
def test_list_pages_do_not_grow_with_data(request, client, coordinator, odars, who, name, params):
    user = request.getfixturevalue(who)
    _grow(coordinator, odars, 3)
    few = _count(client, user, name, params)
    _grow(coordinator, odars, 12)
    many = _count(client, user, name, params)
    assert many == few, (name, few, many)
    assert few <= 25
