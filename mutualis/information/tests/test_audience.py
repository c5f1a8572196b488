"""Who reads what: the audience rule is the same in the list, the page, the search, the digest,
the alert emails and the API (acceptance of issue 9)."""

import pytest
from django.core import mail
from django.urls import reverse

from mutualis.accounts.models import User
from mutualis.information import services
from mutualis.information.enums import AudienceKind, Category, PostStatus
from mutualis.information.models import Post
from mutualis.information.tests.factories import offer_post, published_post, put_in_offer
from mutualis.information.views.search import search_all
from mutualis.membership.enums import Status

pytestmark = pytest.mark.django_db

TITLE = "Zorglubienne : consigne pour les communes de l offre avancée"


def _everywhere(client, user, post) -> dict[str, bool]:
    """Does `user` see `post` in the list, by URL, in the search, the API and the digest?"""
    client.force_login(user)
    mail.outbox.clear()
    in_list = post.title in client.get(reverse("information:posts")).content.decode()
    by_url = client.get(reverse("information:post", args=[post.pk])).status_code == 200
    in_search = post in search_all(User.objects.get(pk=user.pk), "zorglubienne")["posts"]
    api_list = client.get("/api/information/posts?limit=100").json()["items"]
    in_api = any(item["id"] == post.pk for item in api_list)
    api_detail = client.get(f"/api/information/posts/{post.pk}").status_code == 200
    services.send_digests()
    in_digest = any(user.email in m.to and post.title in m.body for m in mail.outbox)
    client.logout()
    return {
        "list": in_list,
        "url": by_url,
        "search": in_search,
        "api": in_api,
        "api_detail": api_detail,
        "digest": in_digest,
    }


ALL = dict.fromkeys(["list", "url", "search", "api", "api_detail", "digest"], True)
NONE = dict.fromkeys(ALL, False)


def test_odars_does_not_see_a_post_for_an_offer_it_is_not_in(client, odars_agent, odars_manager):
    post = offer_post(TITLE)
    assert _everywhere(client, odars_agent, post) == NONE
    assert _everywhere(client, odars_manager, post) == NONE


def test_odars_sees_it_once_its_convention_is_signed(client, odars, odars_agent):
    put_in_offer(odars, Status.ACTIVE)
    post = offer_post(TITLE)
    assert _everywhere(client, odars_agent, post) == ALL


@pytest.mark.parametrize(
    ("status", "sees"),
    [
        (Status.APPLIED, False),
        (Status.QUEUED, False),
        (Status.ADMITTED, False),
        (Status.CONVENTION_ISSUED, False),  # issued, not yet signed
        (Status.ACTIVE, True),
        (Status.EXIT_REQUESTED, True),  # still committed until the exit takes effect
        (Status.EXITED, False),
        (Status.WITHDRAWN, False),
    ],
)
def test_membership_state_decides(client, odars, odars_manager, status, sees):
    put_in_offer(odars, status)
    post = offer_post(TITLE)
    assert _everywhere(client, odars_manager, post) == (ALL if sees else NONE)


def test_labege_never_sees_it_even_when_odars_does(client, odars, labege_manager, labege_it):
    put_in_offer(odars, Status.ACTIVE)
    post = offer_post(TITLE)
    assert _everywhere(client, labege_manager, post) == NONE
    assert _everywhere(client, labege_it, post) == NONE


def test_the_advanced_offer_includes_the_base_offer(client, labege, labege_it):
    """A post for the base offer reaches a commune in an advanced offer only."""
    from mutualis.membership.models import Membership

    Membership.objects.filter(commune=labege).update(status=Status.EXITED)
    Post.objects.all()  # no cache involved
    post = offer_post(TITLE, offer="base")
    assert _everywhere(client, labege_it, post) == NONE
    put_in_offer(labege, Status.ACTIVE, offer="advanced-with-it")
    assert _everywhere(client, labege_it, post) == ALL


def test_a_post_for_a_list_of_communes(client, odars, odars_agent, labege_it):
    post = published_post(TITLE, communes=[odars])
    assert _everywhere(client, odars_agent, post) == ALL
    assert _everywhere(client, labege_it, post) == NONE


def test_a_post_for_some_roles_only(client, odars_manager, odars_agent):
    post = published_post(TITLE, to_agents=False, to_it_agents=False)
    assert _everywhere(client, odars_manager, post) == ALL
    assert _everywhere(client, odars_agent, post) == NONE


def test_drafts_scheduled_expired_and_withdrawn_posts_are_seen_by_authors_only(
    client, odars_agent, coordinator, finance
):
    from datetime import timedelta

    from django.utils import timezone

    draft = Post.objects.create(title=TITLE, category=Category.NEWS, created_by=coordinator)
    scheduled = published_post(TITLE + " programmée", days_ago=-2)
    expired = published_post(
        TITLE + " expirée", days_ago=10, expires_at=timezone.now() - timedelta(days=1)
    )
    withdrawn = published_post(TITLE + " retirée")
    services.withdraw_post(post=withdrawn, by=coordinator, reason="erreur")
    for post in (draft, scheduled, expired, withdrawn):
        assert Post.objects.readable_by(odars_agent).filter(pk=post.pk).exists() is False
        assert Post.objects.readable_by(finance).filter(pk=post.pk).exists() is False
        assert Post.objects.readable_by(coordinator).filter(pk=post.pk).exists() is True
    client.force_login(odars_agent)
    assert client.get(reverse("information:post", args=[draft.pk])).status_code == 404


def test_a_commune_outside_the_programme_sees_nothing_for_every_commune(client, odars, odars_agent):
    from mutualis.membership.models import Membership

    post = published_post(TITLE)
    assert _everywhere(client, odars_agent, post) == ALL
    Membership.objects.filter(commune=odars).update(status=Status.EXITED)
    assert _everywhere(client, odars_agent, post) == NONE


def test_alert_emails_and_the_readable_rule_agree_for_every_person_and_post(odars, labege):
    """readers_of (emails, reminders) and readable_by (pages, API) never disagree."""
    put_in_offer(odars, Status.ACTIVE)
    posts = [
        published_post("Pour tous"),
        offer_post("Pour l'offre sans DSI"),
        offer_post("Pour l'offre avec DSI", offer="advanced-with-it"),
        offer_post("Pour le socle", offer="base"),
        published_post("Pour Labège", communes=[labege]),
        published_post("Pour les responsables", to_agents=False, to_it_agents=False),
        published_post("Pour les DSI", to_agents=False, to_managers=False),
    ]
    people = list(User.objects.filter(commune_roles__isnull=False).distinct())
    assert len(people) >= 4
    for post in posts:
        readers = {user.pk for user, _commune in services.readers_of(post)}
        for person in people:
            fresh = User.objects.get(pk=person.pk)
            sees = Post.objects.readable_by(fresh).filter(pk=post.pk).exists()
            assert (person.pk in readers) == sees, (post.title, person.username)


def test_someone_in_two_communes_reads_what_either_is_addressed(odars, labege, odars_agent):
    from mutualis.accounts.services import grant_commune_role

    grant_commune_role(user=odars_agent, commune=labege, role="agent", by=None)
    for_labege = published_post(TITLE, communes=[labege])
    agent = User.objects.get(pk=odars_agent.pk)
    assert Post.objects.readable_by(agent).filter(pk=for_labege.pk).exists()
    assert [c.insee_code for c in services.acknowledgeable_communes(for_labege, agent)] == []


def test_the_list_filters_by_category_newest_first(client, odars_agent):
    older = published_post("Ancienne actualité zz", days_ago=3)
    newer = published_post("Récente actualité zz", days_ago=1)
    legal = published_post("Veille juridique zz", category=Category.LEGAL_WATCH)
    client.force_login(odars_agent)
    page = client.get(reverse("information:posts")).content.decode()
    assert page.index(legal.title) < page.index(newer.title) < page.index(older.title)
    filtered = client.get(
        reverse("information:posts"), {"category": "legal_watch"}
    ).content.decode()
    assert legal.title in filtered and newer.title not in filtered


def test_the_audience_kind_communes_ignores_offer_fields():
    post = published_post(TITLE, audience=AudienceKind.ALL, audience_offer="base")
    assert post.audience_offer == ""
    assert post.status == PostStatus.PUBLISHED
