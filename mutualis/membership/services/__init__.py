"""Membership workflows: each state change is one function that records who, when and why.

Every public function here is one step of the lifecycle (PRODUCT.md): it checks the move is legal
(refusing it with a French message naming the commune and the problem, nothing written), records a
`Transition` and an audit entry in one transaction, then notifies the commune's managers and the
coordinators through `notify_step`, the only place that sends mail.
"""

from mutualis.membership.services.admission import admit_commune, move_in_queue, queue_application
from mutualis.membership.services.applications import (
    apply_for_advanced_offer,
    join_base_offer,
    withdraw_application,
)
from mutualis.membership.services.conventions import (
    AMENDMENT_NUMBER,
    CONVENTION_PREFIX,
    CONVENTION_SERIES,
    convention_context,
    issue_amendment,
    issue_convention,
    sign_amendment,
    sign_convention,
)
from mutualis.membership.services.deliberations import record_deliberation
from mutualis.membership.services.exit import (
    close_memberships,
    end_membership,
    exit_membership,
    exit_terms_for,
    request_exit,
)
from mutualis.membership.services.notifications import (
    logger,
    notifications_muted,
    notify_step,
    step_recipients,
)
from mutualis.membership.services.renewal import refuse_renewal, renew_membership
from mutualis.membership.services.time_logs import log_time
from mutualis.membership.services.transitions import ALLOWED_FROM, TransitionRefused

__all__ = [
    "ALLOWED_FROM",
    "AMENDMENT_NUMBER",
    "CONVENTION_PREFIX",
    "CONVENTION_SERIES",
    "TransitionRefused",
    "admit_commune",
    "apply_for_advanced_offer",
    "close_memberships",
    "convention_context",
    "end_membership",
    "exit_membership",
    "exit_terms_for",
    "issue_amendment",
    "issue_convention",
    "join_base_offer",
    "log_time",
    "logger",
    "move_in_queue",
    "notifications_muted",
    "notify_step",
    "queue_application",
    "record_deliberation",
    "refuse_renewal",
    "renew_membership",
    "request_exit",
    "sign_amendment",
    "sign_convention",
    "step_recipients",
    "withdraw_application",
]
