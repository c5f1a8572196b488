"""Who may do what in purchasing: roadmaps and contracts. Role primitives and the commune
lookups are in `accounts.perms` (`is_manager_of` answers needs campaigns and join requests).
"""

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.perms import (
    is_coordinator_or_referent,
    is_manager_of,
    is_signed_in,
    serves_commune,
)
from mutualis.territory.models import Commune


def can_edit_roadmap(user, commune: Commune) -> bool:
    """Coordinators and the referent build a commune's purchasing roadmap with it; the commune's
    managers and IT agents co-build it (communes with an IT department)."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    roles = user.roles_in(commune.pk) if is_signed_in(user) else set()
    return bool(roles & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT})


def can_manage_contracts(user, commune: Commune) -> bool:
    """Coordinators and the referent (supplier follow-up), and the commune's own managers."""
    return (is_coordinator_or_referent(user) and serves_commune(user, commune)) or is_manager_of(
        user, commune
    )
