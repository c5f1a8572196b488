"""Who may see and do what with contributions: calls, credit notes, payments, days in kind.
Role primitives and the commune lookups are in `accounts.perms`; a commune's figures are
answered 404 to another commune's people, 403 to its own people whose role does not allow them.
"""

from django.core.exceptions import PermissionDenied

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.perms import (
    get_commune_for_user,
    is_finance_or_coordinator,
    is_it_agent_of,
    is_signed_in,
    serves_commune,
    staff_communes,
)
from mutualis.territory.models import Commune


def can_see_contributions_of(user, commune: Commune) -> bool:
    """Calls, credit notes, payments and balance of a commune: the finance office, coordinators,
    and that commune's own managers. Agents, the referent and observers do not see them."""
    if is_finance_or_coordinator(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_see_days_of(user, commune: Commune) -> bool:
    """Days in kind of a commune: coordinators, the finance office, and that commune's managers
    and IT agents."""
    if is_finance_or_coordinator(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(
        {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT} & user.roles_in(commune.pk)
    )


def can_log_days_for(user, commune: Commune) -> bool:
    """Only the IT agents of a commune that has its own IT department log its days in kind."""
    return commune.has_it_department and is_it_agent_of(user, commune)


def uses_contributions(user) -> bool:
    """Sees the contributions area: the finance office, coordinators, and the managers and IT
    agents of a commune (each then sees only their own commune's figures)."""
    if is_finance_or_coordinator(user):
        return True
    return is_signed_in(user) and any(
        r.role in {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
        for r in user.active_commune_roles()
    )


def get_contributions_commune_for_user(user, insee_code: str) -> Commune:
    """The commune if the user may see its calls and payments; 404 otherwise (no hint it exists),
    403 for the commune's own people whose role does not allow it."""
    commune = get_commune_for_user(user, insee_code)
    if not can_see_contributions_of(user, commune):
        raise PermissionDenied
    return commune


def get_days_commune_for_user(user, insee_code: str) -> Commune:
    """The commune if the user may see its days in kind; 404 for another commune's people."""
    commune = get_commune_for_user(user, insee_code)
    if not can_see_days_of(user, commune):
        raise PermissionDenied
    return commune


def finance_communes(user):
    """The communes whose calls and payments the user may see."""
    if is_finance_or_coordinator(user):
        return staff_communes(user)
    if not is_signed_in(user):
        return Commune.objects.none()
    return Commune.objects.filter(
        pk__in=[
            r.commune_id for r in user.active_commune_roles() if r.role == CommuneRoleKind.MANAGER
        ]
    )


def days_communes(user):
    """The communes whose days in kind the user may see."""
    if is_finance_or_coordinator(user):
        return staff_communes(user)
    if not is_signed_in(user):
        return Commune.objects.none()
    kinds = {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    return Commune.objects.filter(
        pk__in=[r.commune_id for r in user.active_commune_roles() if r.role in kinds]
    )


def can_send_reminders(user) -> bool:
    """Reminders (« relances ») of overdue calls, and their letters: the finance office and
    coordinators, who issue the calls. Commune people, the referent and observers may not."""
    return is_finance_or_coordinator(user)
