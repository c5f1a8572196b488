"""Who may do what in information: posts, the library, experience sharing. Role primitives
and the commune lookups are in `accounts.perms`.
"""

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.perms import (
    is_coordinator_or_referent,
    is_signed_in,
    is_staff_member,
    serves_commune,
)
from mutualis.territory.models import Commune


def can_publish_information(user) -> bool:
    """Coordinators and the referent write posts, alerts, watch items and library documents;
    they see drafts, acknowledgements, and follow the watch feeds."""
    return is_coordinator_or_referent(user)


def can_share_experience(user) -> bool:
    """Experience sharing is among communes with an IT department (their IT agents and managers)
    and the intercommunal programme team (coordinators, referent)."""
    if is_coordinator_or_referent(user):
        return True
    return is_signed_in(user) and any(
        role.commune.has_it_department
        and role.role in {CommuneRoleKind.IT_AGENT, CommuneRoleKind.MANAGER}
        for role in user.active_commune_roles()
    )


def can_read_experience(user) -> bool:
    """Those who share experience, and every intercommunal role (reading only)."""
    return is_staff_member(user) or can_share_experience(user)


def experience_communes(user) -> list[Commune]:
    """The communes in whose name a person takes part in experience sharing."""
    return [
        role.commune
        for role in user.active_commune_roles()
        if role.commune.has_it_department
        and role.role in {CommuneRoleKind.IT_AGENT, CommuneRoleKind.MANAGER}
    ]


def can_file_commune_document(user, commune: Commune) -> bool:
    """A commune's own documents are filed by its managers and IT agents, or by the programme
    team; they are read by the commune's people (and the programme team) only."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )
