"""Workflows of contributions: issuing and cancelling calls, crediting exits, recording payments,
confirming estimated populations, logging and validating days in kind.

Each workflow is one keyword-only function that checks everything first and then writes in one
transaction, with its audit entries: bad data is refused with a French message naming the commune
and the period, and nothing is written.
"""

from mutualis.contributions.services._common import ContributionError
from mutualis.contributions.services.calls import (
    CALL_SERIES,
    CREDIT_NOTE_SERIES,
    IssueRun,
    issue_call,
    issue_calls,
)
from mutualis.contributions.services.credit_notes import (
    Cancellation,
    cancel_call,
    reconcile_calls_after_exit,
)
from mutualis.contributions.services.days import (
    DaysSummary,
    days_membership,
    days_summary,
    log_days,
    review_day_entry,
)
from mutualis.contributions.services.ledger import Balance, balances
from mutualis.contributions.services.payments import (
    StatementResult,
    import_statement,
    record_payment,
)
from mutualis.contributions.services.populations import confirm_population, waiting_confirmations
from mutualis.contributions.services.schedules import (
    OWING_STATES,
    DuePeriod,
    due_periods,
    owing_memberships,
    period_label,
    schedule_for_membership,
)

__all__ = [
    "CALL_SERIES",
    "CREDIT_NOTE_SERIES",
    "OWING_STATES",
    "Balance",
    "Cancellation",
    "ContributionError",
    "DaysSummary",
    "DuePeriod",
    "IssueRun",
    "StatementResult",
    "balances",
    "cancel_call",
    "confirm_population",
    "days_membership",
    "days_summary",
    "due_periods",
    "import_statement",
    "issue_call",
    "issue_calls",
    "log_days",
    "owing_memberships",
    "period_label",
    "reconcile_calls_after_exit",
    "record_payment",
    "review_day_entry",
    "schedule_for_membership",
    "waiting_confirmations",
]
