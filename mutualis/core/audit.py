"""Record an action in the audit trail; every service that changes state calls this."""

from typing import Any

from django.db import models

from mutualis.core.middleware import current_request_id
from mutualis.core.models import AuditEvent


def record(
    *,
    action: str,
    obj: models.Model,
    by: Any | None,
    summary: str,
    commune_insee: str = "",
    reason: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    actor = by if getattr(by, "pk", None) else None
    request_id = current_request_id()
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        commune_insee=commune_insee,
        summary=summary[:300],
        reason=reason,
        changes=changes or {},
        request_id="" if request_id == "-" else request_id,
    )
