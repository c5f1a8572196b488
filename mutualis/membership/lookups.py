"""Lookups that only return what the user may see: another commune's object answers 404.

Pages and API endpoints of the membership app go through these, never through bare `.get()`.
"""

from django.http import Http404

from mutualis.accounts import perms
from mutualis.membership.models import (
    Amendment,
    Convention,
    Deliberation,
    Membership,
    ScanReading,
)


def _of_visible_communes(queryset, commune_field: str, user):
    """The rows of the communes the user may see: all of them for staff serving every programme,
    without the `IN (SELECT id FROM territory_commune)` that `visible_communes` would add."""
    if perms.is_staff_member(user) and perms.staff_epci_ids(user) is None:
        return queryset
    return queryset.filter(**{f"{commune_field}__in": perms.visible_communes(user)})


def visible_memberships(user):
    return _of_visible_communes(Membership.objects.all(), "commune", user)


def visible_deliberations(user):
    return _of_visible_communes(Deliberation.objects.all(), "commune", user)


def visible_conventions(user):
    return _of_visible_communes(Convention.objects.all(), "membership__commune", user)


def _check(user, commune) -> None:
    if not perms.can_view_commune(user, commune):
        raise Http404


def membership_for_user(user, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("commune", "programme").filter(pk=membership_id).first()
    )
    if membership is None:
        raise Http404
    _check(user, membership.commune)
    return membership


def deliberation_for_user(user, deliberation_id: int) -> Deliberation:
    deliberation = (
        Deliberation.objects.select_related("commune", "membership")
        .filter(pk=deliberation_id)
        .first()
    )
    if deliberation is None:
        raise Http404
    _check(user, deliberation.commune)
    return deliberation


def convention_for_user(user, convention_id: int) -> Convention:
    convention = (
        Convention.objects.select_related("membership__commune", "membership__programme")
        .filter(pk=convention_id)
        .first()
    )
    if convention is None:
        raise Http404
    _check(user, convention.membership.commune)
    return convention


def amendment_for_user(user, amendment_id: int) -> Amendment:
    amendment = (
        Amendment.objects.select_related(
            "convention__membership__commune", "convention__membership__programme"
        )
        .filter(pk=amendment_id)
        .first()
    )
    if amendment is None:
        raise Http404
    _check(user, amendment.convention.membership.commune)
    return amendment


def scan_reading_for_user(user, scan_id: int) -> ScanReading:
    """A scanned deliberation's reading: 404 unless the user may see its commune (the page then
    applies the upload page's own rule, `perms.can_manage_commune`)."""
    scan = ScanReading.objects.select_related("commune", "uploaded_by").filter(pk=scan_id).first()
    if scan is None:
        raise Http404
    _check(user, scan.commune)
    return scan
