"""Who may do what in awareness: modules, results, campaigns, on-site sessions. Role
primitives and the commune lookups are in `accounts.perms`.
"""

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.perms import (
    can_manage_commune,
    is_commune_manager,
    is_commune_member,
    is_coordinator,
    is_coordinator_or_referent,
    is_signed_in,
    is_staff_member,
    serves_commune,
    staff_communes,
)
from mutualis.territory.models import Commune


def can_take_awareness_modules(user) -> bool:
    """Anyone who works for a commune (agent, IT agent, manager) takes modules for themself."""
    return is_commune_member(user)


def can_view_awareness_results(user) -> bool:
    """Intercommunal staff see every commune's awareness figures; a commune manager their own."""
    return is_staff_member(user) or is_commune_manager(user)


def can_view_awareness_people(user, commune: Commune) -> bool:
    """Named results of a commune's people: coordinators, the referent, the commune's managers."""
    return (
        is_coordinator_or_referent(user) and serves_commune(user, commune)
    ) or can_manage_commune(user, commune)


def can_manage_campaigns(user) -> bool:
    """Coordinators launch campaigns for any commune; a commune manager for their own commune."""
    return is_coordinator(user) or is_commune_manager(user)


def can_view_onsite_sessions(user) -> bool:
    """On-site sessions: staff see all; a commune's people see their commune's."""
    return is_staff_member(user) or is_commune_member(user)


def can_schedule_onsite_sessions(user) -> bool:
    """The coordinators and the referent, who run on-site sessions, schedule them and record
    attendance."""
    return is_coordinator_or_referent(user)


def can_register_session_attendees(user, commune: Commune) -> bool:
    """Coordinators, the referent, and the commune's managers register attendees."""
    return (
        is_coordinator_or_referent(user) and serves_commune(user, commune)
    ) or can_manage_commune(user, commune)


def managed_communes(user):
    """The communes whose awareness campaigns and named results the user may manage."""
    if is_coordinator_or_referent(user):
        return staff_communes(user)
    if not is_signed_in(user):
        return Commune.objects.none()
    return Commune.objects.filter(
        pk__in=[
            r.commune_id for r in user.active_commune_roles() if r.role == CommuneRoleKind.MANAGER
        ]
    )
