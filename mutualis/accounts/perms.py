"""Who may do what: every view and API endpoint asks these functions, nothing else.

Intercommunal staff (coordinator, referent, finance officer, observer) see every commune; people of
a commune (manager, agent, IT agent) see only the communes where they hold an active role. Objects
of another commune are answered with 404 by the lookup helpers, never with a 403 that would confirm
they exist.
"""

from django.http import Http404

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
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


def can_view_commune(user, commune: Commune) -> bool:
    """Staff see every commune; commune people only the communes where they hold a role."""
    if is_staff_member(user):
        return True
    return is_signed_in(user) and bool(user.roles_in(commune.pk))


def can_manage_commune(user, commune: Commune) -> bool:
    """Coordinators, and the commune's own managers."""
    if is_coordinator(user):
        return True
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_invite_to_commune(user, commune: Commune) -> bool:
    """Coordinators invite anyone; a commune manager invites agents of their own commune."""
    return can_manage_commune(user, commune)


def is_it_agent_of(user, commune: Commune) -> bool:
    """An IT agent of the commune's own IT department."""
    return is_signed_in(user) and CommuneRoleKind.IT_AGENT in user.roles_in(commune.pk)


def get_commune_for_user(user, insee_code: str) -> Commune:
    """The commune if the user may see its private data, else 404 (no hint that it exists)."""
    commune = Commune.objects.filter(insee_code=insee_code).first()
    if commune is None or not can_view_commune(user, commune):
        raise Http404
    return commune


def visible_communes(user):
    """The communes whose private data the user may see."""
    if is_staff_member(user):
        return Commune.objects.all()
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


# --- Information platform ----------------------------------------------------------------------


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
        return True
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )
