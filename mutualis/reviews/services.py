"""Review workflows: compute (or recompute a draft), comment, publish (freeze)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.core import audit
from mutualis.core.figures import ReviewContext
from mutualis.reviews.figures import compute_snapshot
from mutualis.reviews.models import Review
from mutualis.reviews.periods import period_containing


class ReviewRefused(ValueError):
    """A refused review action; the message says why, in French."""


def compute_review(*, programme, day: date, by=None) -> tuple[Review, bool]:
    """Compute the review of the period containing `day`; a published review is never recomputed.

    Returns (review, changed): `changed` is False when the review was already published.
    """
    spec = programme.spec.programme
    period = period_containing(
        day, start=spec.start, end=spec.end, months=spec.review_period_months
    )
    if period is None:
        raise ReviewRefused(
            _("Le %(day)s est en dehors du programme (%(start)s – %(end)s).")
            % {
                "day": day.strftime("%d/%m/%Y"),
                "start": spec.start.strftime("%d/%m/%Y"),
                "end": spec.end.strftime("%d/%m/%Y"),
            }
        )
    with transaction.atomic():
        review = (
            Review.objects.select_for_update()
            .filter(programme=programme, number=period.number)
            .first()
        )
        if review is not None and review.is_published:
            return review, False
        figures = compute_snapshot(
            ReviewContext(programme=programme, start=period.start, end=period.end)
        )
        if review is None:
            review = Review(
                programme=programme,
                number=period.number,
                period_start=period.start,
                period_end=period.end,
            )
        review.figures = figures
        review.computed_at = timezone.now()
        review.computed_by = by if getattr(by, "pk", None) else None
        review.save()
        audit.record(
            action="review.computed",
            obj=review,
            by=by,
            summary=_("Bilan n° %(number)s calculé") % {"number": review.number},
        )
    return review, True


def publish_review(*, review: Review, by, comments: str, today: date | None = None) -> Review:
    """Freeze a review's figures. Only once its period has ended (a draft may be computed
    earlier): figures published mid-period would be incomplete for good."""
    today = today or timezone.localdate()
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.is_published:
            raise ReviewRefused(_("Ce bilan est déjà publié : ses chiffres sont figés."))
        if review.period_end >= today:
            raise ReviewRefused(
                _(
                    "Le bilan n° %(number)s ne peut être publié qu'une fois sa période terminée "
                    "(après le %(end)s) ; d'ici là, il reste un brouillon recalculable."
                )
                % {"number": review.number, "end": review.period_end.strftime("%d/%m/%Y")}
            )
        review.comments = comments
        review.state = Review.State.PUBLISHED
        review.published_at = timezone.now()
        review.published_by = by
        review.save(update_fields=["comments", "state", "published_at", "published_by"])
        audit.record(
            action="review.published",
            obj=review,
            by=by,
            summary=_("Bilan n° %(number)s publié") % {"number": review.number},
        )
    return review


def save_comments(*, review: Review, by, comments: str) -> Review:
    if review.is_published:
        raise ReviewRefused(_("Ce bilan est publié : ses commentaires ne peuvent plus changer."))
    review.comments = comments
    review.save(update_fields=["comments"])
    audit.record(
        action="review.commented",
        obj=review,
        by=by,
        summary=_("Bilan n° %(number)s commenté") % {"number": review.number},
    )
    return review
