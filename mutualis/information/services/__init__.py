"""Workflows of the information platform; each writes its audit entry.

Posts are written, published and withdrawn; critical alerts are acknowledged once per commune;
watch feeds become draft posts; documents gain versions; threads gain replies and become studies;
alert emails and the weekly digest go to exactly the people who may read what they announce.
"""

from mutualis.information.services.acknowledgements import (
    AcknowledgementStatus,
    acknowledge,
    acknowledgeable_communes,
    acknowledgement_status,
    readers_of,
    remind_pending,
)
from mutualis.information.services.alerts import (
    UNSUBSCRIBE_SALT,
    is_unsubscribed,
    send_alert_emails,
    send_due_alerts,
    set_subscription,
    unsubscribe_token,
    user_from_unsubscribe_token,
)
from mutualis.information.services.digests import DigestResult, iso_week, send_digests
from mutualis.information.services.documents import add_version, save_document
from mutualis.information.services.posts import publish_post, save_post, withdraw_post
from mutualis.information.services.threads import make_study, reply, start_thread, study_draft
from mutualis.information.services.watch import (
    FETCH_TIMEOUT,
    ImportResult,
    fetch_url,
    import_feed,
    refresh_feed,
    save_feed,
)

__all__ = [
    "FETCH_TIMEOUT",
    "UNSUBSCRIBE_SALT",
    "AcknowledgementStatus",
    "DigestResult",
    "ImportResult",
    "acknowledge",
    "acknowledgeable_communes",
    "acknowledgement_status",
    "add_version",
    "fetch_url",
    "import_feed",
    "is_unsubscribed",
    "iso_week",
    "make_study",
    "publish_post",
    "readers_of",
    "refresh_feed",
    "remind_pending",
    "reply",
    "save_document",
    "save_feed",
    "save_post",
    "send_alert_emails",
    "send_digests",
    "send_due_alerts",
    "set_subscription",
    "start_thread",
    "study_draft",
    "unsubscribe_token",
    "user_from_unsubscribe_token",
    "withdraw_post",
]
