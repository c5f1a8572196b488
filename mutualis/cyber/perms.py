"""Who may do what in cybersecurity: first advice, diagnostics, remediation plans. Role
primitives and the commune lookups are in `accounts.perms`.
"""

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.accounts.perms import (
    is_commune_member,
    is_coordinator_or_referent,
    is_signed_in,
    serves_commune,
)
from mutualis.territory.models import Commune


def uses_cyber(user) -> bool:
    """The cybersecurity pages: commune people, coordinators, the referent and observers."""
    return is_commune_member(user) or can_view_cyber_programme(user)


def can_view_cyber_programme(user) -> bool:
    """Programme-wide security figures (maturity by commune, measures most often missing):
    coordinators, the referent and elected observers."""
    return is_signed_in(user) and user.staff_role in {
        StaffRole.COORDINATOR,
        StaffRole.REFERENT,
        StaffRole.OBSERVER,
    }


def can_lead_diagnostics(user) -> bool:
    """Coordinators and the referent start, answer, complete and cancel diagnostics."""
    return is_coordinator_or_referent(user)


def can_view_commune_security(user, commune: Commune) -> bool:
    """A commune's first advice, diagnostics, plan and evidence: coordinators and the referent,
    and the commune's own managers and IT agents (not its other agents, finance or observers)."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(
        {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT} & user.roles_in(commune.pk)
    )


def can_take_first_advice(user, commune: Commune) -> bool:
    """The self-assessment: the commune's managers alone, or the coordinator/referent with them."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_follow_plan(user, commune: Commune) -> bool:
    """Update a remediation measure (status, owner, due date, notes, evidence): coordinators, the
    referent, and the commune's managers and IT agents."""
    return can_view_commune_security(user, commune)
