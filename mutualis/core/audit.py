"""Record an action in the audit trail; every service that changes state calls this."""

from typing import Any

from django.db import models

from mutualis.core.middleware import current_request_id
from mutualis.core.models import AuditEvent


def record(
    *,
    action: str,
    obj: models.Model | None,
    by: Any | None,
    summary: str,
    commune_insee: str = "",
    reason: str = "",
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """`obj` is the record acted on; for what has no record (a stored file nobody references),
    pass `obj=None` with `object_type` and `object_id`."""
    actor = by if getattr(by, "pk", None) else None
    request_id = current_request_id()
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    elif not (object_type and object_id):
        raise ValueError("an audit entry names its object: obj, or object_type and object_id")
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id[-64:],
        commune_insee=commune_insee,
        summary=summary[:300],
        reason=reason,
        changes=changes or {},
        request_id="" if request_id == "-" else request_id,
    )
