"""The role primitives and commune lookups every rule builds on (each capability's own rules are
in its `<app>/perms.py`); views and API endpoints ask these functions, nothing else.

Intercommunal staff (coordinator, referent, finance officer, observer) see the communes of the
territory of the programmes they are assigned to (every commune when assigned to none: the
operator's own team); people of a commune (manager, agent, IT agent) see only the communes where
they hold an active role. Objects
of another commune are answered with 404 by the lookup helpers, never with a 403 that would confirm
they exist.
"""

from django.conf import settings
from django.http import Http404

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.core.lookups import get_visible_or_404
from mutualis.territory.models import Commune

STAFF_ROLES = frozenset(StaffRole.values)


def is_signed_in(user) -> bool:
    """Any signed-in, active user."""
    return bool(user.is_authenticated and user.is_active)


def is_staff_member(user) -> bool:
    """Intercommunal staff: coordinator, referent, finance officer or observer."""
    return is_signed_in(user) and user.staff_role in STAFF_ROLES


def is_coordinator(user) -> bool:
    """The programme team: configures the programme, manages communes and accounts."""
    return is_signed_in(user) and user.staff_role == StaffRole.COORDINATOR


def is_coordinator_or_referent(user) -> bool:
    """Coordinators and the technical referent: deliver and follow the services."""
    return is_signed_in(user) and user.staff_role in {StaffRole.COORDINATOR, StaffRole.REFERENT}


def is_finance_or_coordinator(user) -> bool:
    """The finance office and coordinators: calls for contributions and payments."""
    return is_signed_in(user) and user.staff_role in {StaffRole.FINANCE, StaffRole.COORDINATOR}


def is_commune_member(user) -> bool:
    """Someone who holds at least one active role in a commune."""
    return is_signed_in(user) and bool(user.active_commune_roles())


def staff_epci_ids(user) -> frozenset | None:
    """The EPCIs a staff member serves: the territories of the programmes they are assigned to;
    None (every EPCI) for staff assigned to no programme. Read once per user object
    (`User.programme_assignment_rows`)."""
    rows = user.programme_assignment_rows()
    return frozenset(epci for _, epci in rows if epci is not None) if rows else None


def serves_commune(user, commune: Commune) -> bool:
    """A staff member whose programmes' territory includes the commune."""
    if not is_staff_member(user):
        return False
    epcis = staff_epci_ids(user)
    return epcis is None or commune.epci_id in epcis


def staff_communes(user):
    """The communes a staff member serves (none for anyone else)."""
    if not is_staff_member(user):
        return Commune.objects.none()
    epcis = staff_epci_ids(user)
    return Commune.objects.all() if epcis is None else Commune.objects.filter(epci_id__in=epcis)


def can_view_commune(user, commune: Commune) -> bool:
    """Staff see the communes they serve; commune people only the communes where they hold a
    role."""
    if is_staff_member(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(user.roles_in(commune.pk))


def can_manage_commune(user, commune: Commune) -> bool:
    """Coordinators (of the commune's programmes), and the commune's own managers."""
    if is_coordinator(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_invite_to_commune(user, commune: Commune) -> bool:
    """Coordinators invite anyone; a commune manager invites agents of their own commune."""
    return can_manage_commune(user, commune)


AGENT_ROLES = (CommuneRoleKind.AGENT, CommuneRoleKind.IT_AGENT)


def commune_roles_grantable(user, commune: Commune) -> list[str]:
    """The commune roles a person may grant in `commune`: every one for coordinators; agents and
    IT agents for the commune's own managers (never a manager, never an intercommunal role)."""
    if is_coordinator(user):
        return [kind.value for kind in CommuneRoleKind]
    if can_manage_commune(user, commune):
        return [kind.value for kind in AGENT_ROLES]
    return []


def can_end_commune_role(user, commune_role) -> bool:
    """Coordinators end any commune role; a commune's manager ends its agents' and IT agents'
    roles (not a manager's, not their own, not another commune's)."""
    if is_coordinator(user):
        return True
    return (
        commune_role.role in AGENT_ROLES
        and commune_role.user_id != getattr(user, "pk", None)
        and can_manage_commune(user, commune_role.commune)
    )


def can_answer_access_requests(user) -> bool:
    """With ProConnect configured: coordinators grant a role to anyone ProConnect signed in
    without one; a commune manager to those whose SIRET is their commune's."""
    return settings.MUTUALIS_OIDC_ENABLED and (is_coordinator(user) or is_commune_manager(user))


def is_it_agent_of(user, commune: Commune) -> bool:
    """An IT agent of the commune's own IT department."""
    return is_signed_in(user) and CommuneRoleKind.IT_AGENT in user.roles_in(commune.pk)


def get_commune_for_user(user, insee_code: str) -> Commune:
    """The commune if the user may see its private data, else 404 (no hint that it exists)."""
    return get_visible_or_404(
        Commune.objects.select_related("epci"), user, check=can_view_commune, insee_code=insee_code
    )


def visible_communes(user):
    """The communes whose private data the user may see."""
    if is_staff_member(user):
        return staff_communes(user)
    if not is_signed_in(user):
        return Commune.objects.none()
    return Commune.objects.filter(pk__in=[r.commune_id for r in user.active_commune_roles()])


def active_commune(request) -> Commune | None:
    """The commune a commune user is acting for: chosen in the session, else their first one."""
    user = request.user
    if not is_signed_in(user):
        return None
    communes = user.communes()
    if not communes:
        return None
    chosen = request.session.get("commune_id")
    for commune in communes:
        if commune.pk == chosen:
            return commune
    return communes[0]


# The information system (inventory, business software, continuity) is shared by two capabilities,
# `inventory` and `continuity`, which do not import each other: its rules stay with the roles.


def can_view_information_system(user, commune: Commune) -> bool:
    """Staff serving the commune, and its managers and IT agents: inventory, software,
    continuity."""
    if is_staff_member(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )


def can_edit_information_system(user, commune: Commune) -> bool:
    """Coordinators and the referent serving the commune, and its managers and IT agents."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )


def get_commune_information_system(user, insee_code: str) -> Commune:
    """The commune if the user may see its information system, else 404."""
    commune = Commune.objects.filter(insee_code=insee_code).first()
    if commune is None or not can_view_information_system(user, commune):
        raise Http404
    return commune


def uses_information_system(user) -> bool:
    """Navigation: staff, and anyone managing or running a commune's IT."""
    if is_staff_member(user):
        return True
    return is_signed_in(user) and any(
        r.role in {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
        for r in user.active_commune_roles()
    )


def is_manager_of(user, commune: Commune) -> bool:
    """A manager of this commune: answers its needs campaigns, asks to join negotiated offers."""
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def is_commune_manager(user) -> bool:
    """Someone who manages at least one commune."""
    return is_signed_in(user) and any(
        r.role == CommuneRoleKind.MANAGER for r in user.active_commune_roles()
    )
