"""Who may do what: every view and API endpoint asks these functions, nothing else.

Intercommunal staff (coordinator, referent, finance officer, observer) see every commune; people of
a commune (manager, agent, IT agent) see only the communes where they hold an active role. Objects
of another commune are answered with 404 by the lookup helpers, never with a 403 that would confirm
they exist.
"""

from django.http import Http404

from mutualis.accounts.enums import CommuneRoleKind, StaffRole
from mutualis.core.prepared import TEXT_PLACEHOLDER, PreparedQuery
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


def is_it_agent_of(user, commune: Commune) -> bool:
    """An IT agent of the commune's own IT department."""
    return is_signed_in(user) and CommuneRoleKind.IT_AGENT in user.roles_in(commune.pk)


# Read on every commune page: written to SQL once per process (core.prepared).
_COMMUNE_BY_CODE = PreparedQuery(
    lambda insee_code: Commune.objects.select_related("epci").filter(insee_code=insee_code)[:1],
    insee_code=TEXT_PLACEHOLDER,
)


def get_commune_for_user(user, insee_code: str) -> Commune:
    """The commune if the user may see its private data, else 404 (no hint that it exists)."""
    commune = _COMMUNE_BY_CODE.first(insee_code=insee_code)
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


def can_see_review(user, review) -> bool:
    """Staff see every review, drafts included; commune people see published reviews only."""
    if is_staff_member(user):
        return True
    return is_commune_member(user) and review.is_published


def can_view_information_system(user, commune: Commune) -> bool:
    """Staff, and the commune's managers and IT agents: inventory, software, continuity."""
    if is_staff_member(user):
        return True
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )


def can_edit_information_system(user, commune: Commune) -> bool:
    """Coordinators and the referent, and the commune's managers and IT agents."""
    if is_coordinator_or_referent(user):
        return True
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


# --- cybersecurity (first advice, diagnostics, remediation plans) ------------------------------


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


def can_follow_admissions(user) -> bool:
    """Coordinators, the referent and observers: the admission queue and the capacity pools."""
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
        return True
    return is_signed_in(user) and bool(
        {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT} & user.roles_in(commune.pk)
    )


def can_take_first_advice(user, commune: Commune) -> bool:
    """The self-assessment: the commune's managers alone, or the coordinator/referent with them."""
    if is_coordinator_or_referent(user):
        return True
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_follow_plan(user, commune: Commune) -> bool:
    """Update a remediation measure (status, owner, due date, notes, evidence): coordinators, the
    referent, and the commune's managers and IT agents."""
    return can_view_commune_security(user, commune)


# --- Purchasing and support (issue 10) ---------------------------------------------------------


def is_manager_of(user, commune: Commune) -> bool:
    """A manager of this commune: answers its needs campaigns, asks to join negotiated offers."""
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_edit_roadmap(user, commune: Commune) -> bool:
    """Coordinators and the referent build a commune's purchasing roadmap with it; the commune's
    managers and IT agents co-build it (communes with an IT department)."""
    if is_coordinator_or_referent(user):
        return True
    roles = user.roles_in(commune.pk) if is_signed_in(user) else set()
    return bool(roles & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT})


def can_manage_contracts(user, commune: Commune) -> bool:
    """Coordinators and the referent (supplier follow-up), and the commune's own managers."""
    return is_coordinator_or_referent(user) or is_manager_of(user, commune)


def can_open_support_request(user, commune: Commune) -> bool:
    """The commune's people open its requests; coordinators and the referent record one for any
    commune (a request received by phone). Which categories depends on the commune's offer."""
    if is_coordinator_or_referent(user):
        return True
    return is_signed_in(user) and bool(user.roles_in(commune.pk))


def can_see_contributions_of(user, commune: Commune) -> bool:
    """Calls, credit notes, payments and balance of a commune: the finance office, coordinators,
    and that commune's own managers. Agents, the referent and observers do not see them."""
    if is_finance_or_coordinator(user):
        return True
    return is_signed_in(user) and CommuneRoleKind.MANAGER in user.roles_in(commune.pk)


def can_see_days_of(user, commune: Commune) -> bool:
    """Days in kind of a commune: coordinators, the finance office, and that commune's managers
    and IT agents."""
    if is_finance_or_coordinator(user):
        return True
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
    from django.core.exceptions import PermissionDenied

    commune = get_commune_for_user(user, insee_code)
    if not can_see_contributions_of(user, commune):
        raise PermissionDenied
    return commune


def get_days_commune_for_user(user, insee_code: str) -> Commune:
    """The commune if the user may see its days in kind; 404 for another commune's people."""
    from django.core.exceptions import PermissionDenied

    commune = get_commune_for_user(user, insee_code)
    if not can_see_days_of(user, commune):
        raise PermissionDenied
    return commune


def finance_communes(user):
    """The communes whose calls and payments the user may see."""
    if is_finance_or_coordinator(user):
        return Commune.objects.all()
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
        return Commune.objects.all()
    if not is_signed_in(user):
        return Commune.objects.none()
    kinds = {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    return Commune.objects.filter(
        pk__in=[r.commune_id for r in user.active_commune_roles() if r.role in kinds]
    )


def can_take_awareness_modules(user) -> bool:
    """Anyone who works for a commune (agent, IT agent, manager) takes modules for themself."""
    return is_commune_member(user)


def is_commune_manager(user) -> bool:
    """Someone who manages at least one commune."""
    return is_signed_in(user) and any(
        r.role == CommuneRoleKind.MANAGER for r in user.active_commune_roles()
    )


def can_view_awareness_results(user) -> bool:
    """Intercommunal staff see every commune's awareness figures; a commune manager their own."""
    return is_staff_member(user) or is_commune_manager(user)


def can_view_awareness_people(user, commune: Commune) -> bool:
    """Named results of a commune's people: coordinators, the referent, the commune's managers."""
    return is_coordinator_or_referent(user) or can_manage_commune(user, commune)


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
    return is_coordinator_or_referent(user) or can_manage_commune(user, commune)


def managed_communes(user):
    """The communes whose awareness campaigns and named results the user may manage."""
    if is_coordinator_or_referent(user):
        return Commune.objects.all()
    if not is_signed_in(user):
        return Commune.objects.none()
    return Commune.objects.filter(
        pk__in=[
            r.commune_id for r in user.active_commune_roles() if r.role == CommuneRoleKind.MANAGER
        ]
    )


def can_publish_information(user) -> bool:
    """Coordinators and the referent write posts, alerts, watch items and library documents;
    they see drafts, acknowledgements, and follow the watch feeds."""
    return is_coordinator_or_referent(user)


def can_file_commune_document(user, commune: Commune) -> bool:
    """A commune's own documents are filed by its managers and IT agents, or by the programme
    team; they are read by the commune's people (and the programme team) only."""
    if is_coordinator_or_referent(user):
        return True
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )
