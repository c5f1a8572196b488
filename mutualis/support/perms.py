"""Who may open a support request. Role primitives and the commune lookups are in
`accounts.perms`.
"""

from mutualis.accounts.perms import (
    is_commune_member,
    is_coordinator_or_referent,
    is_signed_in,
    serves_commune,
)
from mutualis.territory.models import Commune


def can_open_support_request(user, commune: Commune) -> bool:
    """The commune's people open its requests; coordinators and the referent record one for any
    commune (a request received by phone). Which categories depends on the commune's offer."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(user.roles_in(commune.pk))


def may_open_support_requests(user) -> bool:
    """The page to open a request: coordinators and the referent (for the communes they serve)
    and the communes' people (for their commune); the finance office and observers follow
    requests but open none, so they are not shown the link."""
    return is_coordinator_or_referent(user) or is_commune_member(user)
