"""A programme's review gathers its own territory's figures, never another programme's."""

import pytest
from django.utils import timezone

from mutualis.programme.tests.second_programme import load_second_programme
from mutualis.reviews.services import compute_review

pytestmark = pytest.mark.django_db

# The sections whose figures are about communes' activity (information's posts are shared).
ACTIVITY = {"membership", "contributions", "cyber", "awareness", "purchasing", "support"}
# Needs campaigns belong to no programme yet: their count is the instance's.
SHARED = ("purchasing.campaigns",)


def _activity(review) -> dict[str, object]:
    return {
        f"{section['key']}.{figure['key']}": figure["value"]
        for section in review.figures["sections"]
        if section["key"] in ACTIVITY
        for figure in section["figures"]
        if figure["value"] not in (None, 0, 0.0, "", "0")
        and not f"{section['key']}.{figure['key']}".startswith(SHARED)
    }


def test_the_second_programmes_review_holds_none_of_the_sicovals_activity(programme):
    """The second territory has no activity yet: every activity figure of its review is nil,
    while the Sicoval's review of the same period has some in several capabilities."""
    second, _ = load_second_programme()
    day = timezone.localdate()  # the current period: the demo has activity in every capability
    sicoval, _ = compute_review(programme=programme, day=day)
    other, _ = compute_review(programme=second, day=day)
    assert len({key.split(".")[0] for key in _activity(sicoval)}) >= 3
    assert _activity(other) == {}
