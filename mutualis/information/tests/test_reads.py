"""Opening a post is recorded once per person, and the review counts what communes read."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from mutualis.information.demo import ODARS_POST_TITLE
from mutualis.information.models import Post, PostRead
from mutualis.reviews.services import compute_review

CURRENT_PERIOD = date(2026, 9, 1)  # review n° 5, July–December 2026, a draft in the demo


def _read_figure(programme):
    review, _ = compute_review(programme=programme, day=CURRENT_PERIOD)
    section = next(s for s in review.figures["sections"] if s["key"] == "information")
    return next(f for f in section["figures"] if f["key"] == "posts_read")


@pytest.fixture
def odars_post(db):
    post = Post.objects.get(title=ODARS_POST_TITLE)
    Post.objects.filter(pk=post.pk).update(publish_at=datetime(2026, 8, 3, 9, 0, tzinfo=UTC))
    return post


@pytest.mark.django_db
def test_a_read_is_recorded_once_and_counted_for_the_readers_commune(
    client, odars_agent, programme, odars_post
):
    before = _read_figure(programme)
    client.force_login(odars_agent)
    for _ in range(2):
        assert client.get(reverse("information:post", args=[odars_post.pk])).status_code == 200
    assert PostRead.objects.filter(post=odars_post, user=odars_agent).count() == 1
    after = _read_figure(programme)
    assert after["by_commune"]["31402"] == before["by_commune"].get("31402", 0) + 1
    assert after["by_commune"].get("31254") == before["by_commune"].get("31254")
    assert after["value"] >= 1


@pytest.mark.django_db
def test_a_read_after_the_period_end_does_not_count(client, odars_agent, programme, odars_post):
    before = _read_figure(programme)
    client.force_login(odars_agent)
    client.get(reverse("information:post", args=[odars_post.pk]))
    PostRead.objects.filter(post=odars_post).update(at=datetime(2027, 1, 5, tzinfo=UTC))
    assert _read_figure(programme) == before
