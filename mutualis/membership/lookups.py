"""Lookups that only return what the user may see: another commune's object answers 404.

Pages and API endpoints of the membership app go through these, never through bare `.get()`.
"""

from mutualis.accounts import perms
from mutualis.core.lookups import get_visible_or_404
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


def membership_for_user(user, membership_id: int) -> Membership:
    return get_visible_or_404(
        Membership.objects.select_related("commune", "programme"),
        user,
        check=lambda user, m: perms.can_view_commune(user, m.commune),
        pk=membership_id,
    )


def deliberation_for_user(user, deliberation_id: int) -> Deliberation:
    return get_visible_or_404(
        Deliberation.objects.select_related("commune", "membership"),
        user,
        check=lambda user, d: perms.can_view_commune(user, d.commune),
        pk=deliberation_id,
    )


def convention_for_user(user, convention_id: int) -> Convention:
    return get_visible_or_404(
        Convention.objects.select_related("membership__commune", "membership__programme"),
        user,
        check=lambda user, c: perms.can_view_commune(user, c.membership.commune),
        pk=convention_id,
    )


def amendment_for_user(user, amendment_id: int) -> Amendment:
    return get_visible_or_404(
        Amendment.objects.select_related(
            "convention__membership__commune", "convention__membership__programme"
        ),
        user,
        check=lambda user, a: perms.can_view_commune(user, a.convention.membership.commune),
        pk=amendment_id,
    )


def scan_reading_for_user(user, scan_id: int) -> ScanReading:
    """A scanned deliberation's reading: 404 unless the user may see its commune (the page then
    applies the upload page's own rule, `perms.can_manage_commune`)."""
    return get_visible_or_404(
        ScanReading.objects.select_related("commune", "uploaded_by"),
        user,
        check=lambda user, scan: perms.can_view_commune(user, scan.commune),
        pk=scan_id,
    )
