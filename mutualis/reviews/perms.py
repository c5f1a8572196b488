"""Who may see a review. Role primitives are in `accounts.perms`."""

from mutualis.accounts.perms import is_commune_member, is_staff_member


def can_see_review(user, review) -> bool:
    """Staff see every review, drafts included; commune people see published reviews only."""
    if is_staff_member(user):
        return True
    return is_commune_member(user) and review.is_published
