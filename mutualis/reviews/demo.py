"""The demo's reviews: every elapsed period's review published with a comment, the current one as
a draft. Run on `core.signals.demo_loaded`, once every other step is in, since a review gathers the
figures of all of them. Idempotent."""

from django.utils import timezone

from mutualis.accounts.models import User
from mutualis.programme.services import shipped_programme
from mutualis.reviews.models import Review
from mutualis.reviews.periods import review_periods
from mutualis.reviews.services import compute_review, publish_review


def load_reviews_demo(log, **kwargs) -> None:
    current = shipped_programme()
    coordinator = User.objects.get(username="coordinator")
    spec = current.spec.programme
    today = timezone.localdate()
    for period in review_periods(spec.start, spec.end, spec.review_period_months):
        if period.start > today:
            break
        review = Review.objects.filter(programme=current, number=period.number).first()
        if review is None:
            review, _changed = compute_review(programme=current, day=period.start, by=coordinator)
        if period.end < today and not review.is_published:
            publish_review(
                review=review,
                by=coordinator,
                comments="Bilan présenté au comité de pilotage (démonstration).",
            )
    log("bilans semestriels : calculés")
