"""Writing posts: the coordinator's and referent's forms, publication, withdrawal, audit."""

import pytest
from django.urls import reverse

from mutualis.core.models import AuditEvent
from mutualis.information.enums import PostStatus
from mutualis.information.models import Post

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Coupure du réseau départemental",
    "category": "news",
    "severity": "",
    "body": "Le **réseau** sera coupé <script>alert(1)</script>.",
    "audience": "all",
    "audience_offer": "",
    "to_managers": "on",
    "to_agents": "on",
    "to_it_agents": "on",
    "publish_at": "2025-03-01T10:00",
    "expires_at": "",
}


def test_the_referent_writes_then_publishes(client, referent, odars_agent):
    client.force_login(referent)
    response = client.post(reverse("information:post_create"), FORM)
    post = Post.objects.get(title=FORM["title"])
    assert response["Location"] == post.get_absolute_url()
    assert post.status == PostStatus.DRAFT
    assert "<strong>réseau</strong>" in post.body_html and "<script" not in post.body_html
    assert Post.objects.readable_by(odars_agent).filter(pk=post.pk).exists() is False
    client.post(reverse("information:post_publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_by == referent
    assert Post.objects.readable_by(odars_agent).filter(pk=post.pk).exists()
    actions = set(AuditEvent.objects.for_object(post).values_list("action", flat=True))
    assert {"information.post_created", "information.post_published"} <= actions


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "alert"}, "severity", "Une alerte de sécurité doit avoir une gravité."),
        ({"audience": "offer"}, "audience_offer", "Choisissez l&#x27;offre"),
        ({"audience": "communes"}, "audience_communes", "Choisissez au moins une commune"),
        (
            {"to_managers": "", "to_agents": "", "to_it_agents": ""},
            "to_managers",
            "Cochez au moins un rôle",
        ),
        ({"expires_at": "2025-02-01T10:00"}, "expires_at", "La date d&#x27;expiration doit suivre"),
    ],
)
def test_the_form_explains_what_is_wrong(client, coordinator, changes, field, message):
    client.force_login(coordinator)
    data = {k: v for k, v in {**FORM, **changes}.items() if v != ""}
    response = client.post(reverse("information:post_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Post.objects.filter(title=FORM["title"]).exists()


def test_withdrawing_needs_a_reason_and_hides_the_post(client, coordinator, odars_agent):
    from mutualis.information.tests.factories import published_post

    post = published_post("À retirer")
    client.force_login(coordinator)
    response = client.post(reverse("information:post_withdraw", args=[post.pk]), {"reason": ""})
    assert response.status_code == 200
    client.post(reverse("information:post_withdraw", args=[post.pk]), {"reason": "Doublon"})
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN
    assert (
        AuditEvent.objects.for_object(post).get(action="information.post_withdrawn").reason
        == "Doublon"
    )
    client.force_login(odars_agent)
    assert client.get(post.get_absolute_url()).status_code == 404


def test_commune_people_cannot_write(client, odars_manager, labege_it):
    for user in (odars_manager, labege_it):
        client.force_login(user)
        assert client.get(reverse("information:post_create")).status_code == 403
        assert client.get(reverse("information:drafts")).status_code == 403


def test_the_drafts_page_lists_imported_watch_items(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("information:drafts")).content.decode()
    assert "CERTFR-2099-AVI-0101" in page and "CERT-FR — avis de sécurité" in page
