"""Who may do what in information: posts, the library, experience sharing. Role primitives
and the commune lookups are in `accounts.perms`.
"""

from mutualis.accounts.enums import CommuneRoleKind
from mutualis.accounts.perms import (
    is_coordinator_or_referent,
    is_signed_in,
    is_staff_member,
    serves_commune,
    staff_epci_ids,
)
from mutualis.core.collation import french
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune


def can_publish_information(user) -> bool:
    """Coordinators and the referent write posts, alerts, watch items and library documents;
    they see drafts, acknowledgements, and follow the watch feeds."""
    return is_coordinator_or_referent(user)


def can_address_whole_instance(user) -> bool:
    """Posts and library documents belong to the page's programme; the operator's team (authors
    assigned to no programme) may address one to the whole instance, every programme's people."""
    return can_publish_information(user) and staff_epci_ids(user) is None


def can_change_for_audience(user, item) -> bool:
    """Posts and library documents are changed by those who publish; one the operator's team
    addressed to the whole instance (no programme) only by that team: a coordinator assigned to a
    programme reads it but does not change it. The watch imported from feeds is for the whole
    instance too, and every programme's team curates it. (Following an alert's acknowledgements
    is for those who publish, each for the communes they serve.)"""
    if not can_publish_information(user):
        return False
    if item.programme_id is not None or can_address_whole_instance(user):
        return True
    return getattr(item, "feed_id", None) is not None


def advanced_offer_codes() -> set[str]:
    """The codes of the opened programmes' advanced offers: « Échanges » and the specific watch
    belong to every one of them, not to the base offer."""
    return {o.code for p in Programme.objects.opened() for o in p.spec.advanced_offers()}


EXCHANGE_ROLES = frozenset({CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT})


def experience_communes(user) -> list[Commune]:
    """The communes in whose name a person takes part in the exchanges: those of their communes
    in an advanced offer (with or without IT department) where they are a manager or an IT
    agent."""
    if not is_signed_in(user):
        return []
    ids = {r.commune_id for r in user.active_commune_roles() if r.role in EXCHANGE_ROLES}
    if not ids:
        return []
    in_advanced = (
        Membership.objects.in_offer()
        .filter(commune_id__in=ids, offer_code__in=advanced_offer_codes())
        .values("commune_id")
    )
    return list(Commune.objects.filter(pk__in=in_advanced).order_by(french("name")))


def can_share_experience(user) -> bool:
    """The exchanges are among communes of both advanced offers (their managers and IT agents,
    not the base offer's) and the intercommunal programme team (coordinators, referent)."""
    if is_coordinator_or_referent(user):
        return True
    return bool(experience_communes(user))


def can_read_experience(user) -> bool:
    """Those who take part in the exchanges, and every intercommunal role (reading only)."""
    return is_staff_member(user) or can_share_experience(user)


def can_file_commune_document(user, commune: Commune) -> bool:
    """A commune's own documents are filed by its managers and IT agents, or by the programme
    team; they are read by the commune's people (and the programme team) only."""
    if is_coordinator_or_referent(user):
        return serves_commune(user, commune)
    return is_signed_in(user) and bool(
        user.roles_in(commune.pk) & {CommuneRoleKind.MANAGER, CommuneRoleKind.IT_AGENT}
    )
