"""Awareness workflows: loading module files, taking a module, campaigns and reminders, and
on-site sessions. Each function that changes state writes its audit entry.
"""

from mutualis.awareness.services._common import AwarenessError
from mutualis.awareness.services.campaigns import (
    DUE_SOON_DAYS,
    ReminderReport,
    campaign_people,
    cancel_campaign,
    create_campaign,
    passed_modules,
    send_reminders,
)
from mutualis.awareness.services.modules import LoadReport, load_module_files
from mutualis.awareness.services.onsite import (
    cancel_session,
    in_advanced_offer,
    people_of,
    record_attendance,
    register_attendee,
    schedule_session,
    unregister_attendee,
)
from mutualis.awareness.services.progress import (
    find_progress,
    mark_step_done,
    submit_exercise,
    submit_quiz,
)

__all__ = [
    "DUE_SOON_DAYS",
    "AwarenessError",
    "LoadReport",
    "ReminderReport",
    "campaign_people",
    "cancel_campaign",
    "cancel_session",
    "create_campaign",
    "find_progress",
    "in_advanced_offer",
    "load_module_files",
    "mark_step_done",
    "passed_modules",
    "people_of",
    "record_attendance",
    "register_attendee",
    "schedule_session",
    "send_reminders",
    "submit_exercise",
    "submit_quiz",
    "unregister_attendee",
]
