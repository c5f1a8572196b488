"""The information API: same audiences as the pages; acknowledgements; document metadata."""

import pytest
from django.test import Client

from mutualis.accounts.models import ApiToken
from mutualis.information.enums import Category
from mutualis.information.models import Acknowledgement, Post
from mutualis.information.tests.factories import published_post

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_posts_are_listed_by_audience(odars, odars_agent, labege_it):
    mine = published_post("API pour Odars", communes=[odars])
    odars_ids = [
        p["id"]
        for p in _client(odars_agent).get("/api/information/posts?limit=100").json()["items"]
    ]
    labege_ids = [
        p["id"] for p in _client(labege_it).get("/api/information/posts?limit=100").json()["items"]
    ]
    assert mine.pk in odars_ids and mine.pk not in labege_ids
    assert _client(labege_it).get(f"/api/information/posts/{mine.pk}").status_code == 404
    detail = _client(odars_agent).get(f"/api/information/posts/{mine.pk}").json()
    assert (
        detail["title"] == "API pour Odars"
        and detail["url"] == f"/information/publications/{mine.pk}/"
    )


def test_posts_filter_by_category(odars_agent):
    published_post("API veille juridique", category=Category.LEGAL_WATCH)
    items = (
        _client(odars_agent)
        .get("/api/information/posts?category=legal_watch&limit=100")
        .json()["items"]
    )
    assert items and {p["category"] for p in items} == {"legal_watch"}
    assert _client(odars_agent).get("/api/information/posts?category=nope").status_code == 400


def test_a_commune_acknowledges_an_alert_through_the_api(
    odars, odars_agent, labege_it, coordinator
):
    alert = published_post("API alerte", category=Category.ALERT)
    alerts = _client(odars_agent).get("/api/information/alerts").json()
    assert alert.pk in [a["id"] for a in alerts]
    url = f"/api/information/posts/{alert.pk}/acknowledgements"
    first = _client(odars_agent).post(url, {"insee_code": "31402"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["commune"] == "Odars"
    again = _client(odars_agent).post(url, {"insee_code": "31402"}, content_type="application/json")
    assert again.status_code == 200
    other = _client(labege_it).post(url, {"insee_code": "31402"}, content_type="application/json")
    assert other.status_code == 404
    assert Acknowledgement.objects.filter(post=alert).count() == 1
    assert _client(odars_agent).get(url).status_code == 403
    status = _client(coordinator).get(url).json()
    assert status["acknowledged"][0]["insee_code"] == "31402"
    assert status["addressed"] == len(status["pending"]) + 1


def test_document_metadata_respects_audiences(odars, odars_agent, labege_it):
    odars_titles = {
        d["title"]
        for d in _client(odars_agent).get("/api/information/documents?limit=100").json()["items"]
    }
    labege_titles = {
        d["title"]
        for d in _client(labege_it).get("/api/information/documents?limit=100").json()["items"]
    }
    assert "Odars — inventaire du parc informatique" in odars_titles
    assert "Odars — inventaire du parc informatique" not in labege_titles
    assert "Guide des sauvegardes pour les mairies" in odars_titles & labege_titles
    guide = next(
        d
        for d in _client(labege_it).get("/api/information/documents?limit=100").json()["items"]
        if d["title"].startswith("Guide des sauvegardes")
    )
    assert guide["version"] == 2 and guide["folder"] == "Guides"


def test_drafts_are_not_in_the_api_for_communes(odars_agent, coordinator):
    draft = Post.objects.create(title="Brouillon API", category="news", created_by=coordinator)
    assert _client(odars_agent).get(f"/api/information/posts/{draft.pk}").status_code == 404
