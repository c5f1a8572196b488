"""A review is published only once its period has ended; a draft may be computed earlier."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mutualis.reviews.models import Review
from mutualis.reviews.services import ReviewRefused, compute_review, publish_review


@pytest.fixture
def current_draft(programme):
    review, _ = compute_review(programme=programme, day=timezone.localdate())
    return review


@pytest.mark.django_db
def test_a_review_of_a_running_period_is_not_published(current_draft, coordinator):
    with pytest.raises(ReviewRefused, match="une fois sa période terminée"):
        publish_review(review=current_draft, by=coordinator, comments="trop tôt")
    assert not Review.objects.get(pk=current_draft.pk).is_published


@pytest.mark.django_db
def test_a_review_is_published_the_day_after_its_period(current_draft, coordinator):
    review = publish_review(
        review=current_draft,
        by=coordinator,
        comments="ok",
        today=current_draft.period_end + timedelta(days=1),
    )
    assert review.is_published


@pytest.mark.django_db
def test_the_review_page_refuses_to_publish_a_running_period(client, current_draft, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/bilans/{current_draft.number}/").content.decode()
    assert 'value="publish"' not in page and "une fois sa période terminée" in page
    response = client.post(
        f"/bilans/{current_draft.number}/publier/",
        {"action": "publish", "comments": "x"},
        follow=True,
    )
    assert "une fois sa période terminée" in response.content.decode()
    assert not Review.objects.get(pk=current_draft.pk).is_published


@pytest.mark.django_db
def test_the_command_refuses_to_publish_a_running_period(current_draft):
    with pytest.raises(CommandError, match="une fois sa période terminée"):
        call_command("compute_review", "--publish", period=timezone.localdate().isoformat())
    assert not Review.objects.get(pk=current_draft.pk).is_published
