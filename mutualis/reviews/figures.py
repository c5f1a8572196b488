"""The figures of a review, gathered from every capability into one frozen snapshot.

Each capability that has something to report owns a `review.py` with a `figures(ctx)` function
returning a `Section` (the contract is `core.figures`); `_sections` lists them in the order the
review shows them.
"""

from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal

from mutualis.awareness import review as awareness_review
from mutualis.contributions import review as contributions_review
from mutualis.core.figures import ReviewContext, Section
from mutualis.cyber import review as cyber_review
from mutualis.information import review as information_review
from mutualis.membership import review as membership_review
from mutualis.purchasing import review as purchasing_review
from mutualis.support import review as support_review

MIN_COMMUNES_BEHIND_AGGREGATE = 3


def _jsonable(value):
    # JSON keeps numbers as floats; a figure's Decimal has few digits, so its float's shortest
    # repr is that Decimal again (`core.french.exact` reads it back).
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _sections() -> list[Callable[[ReviewContext], Section]]:
    return [
        membership_review.figures,
        contributions_review.figures,
        cyber_review.figures,
        awareness_review.figures,
        information_review.figures,
        support_review.figures,
        purchasing_review.figures,
    ]


def compute_snapshot(ctx: ReviewContext) -> dict:
    """Every section's figures for the period, as plain JSON to be frozen in the Review."""
    sections = [asdict(builder(ctx)) for builder in _sections()]
    return _jsonable({"sections": sections})
