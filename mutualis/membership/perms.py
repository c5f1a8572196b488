"""Who may follow admissions. Role primitives and the commune lookups are in
`accounts.perms`.
"""

from mutualis.accounts.enums import StaffRole
from mutualis.accounts.perms import is_signed_in


def can_follow_admissions(user) -> bool:
    """Coordinators, the referent and observers: the admission queue and the capacity pools."""
    return is_signed_in(user) and user.staff_role in {
        StaffRole.COORDINATOR,
        StaffRole.REFERENT,
        StaffRole.OBSERVER,
    }
