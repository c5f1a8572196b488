"""Values as a person reads them: choice labels, French dates, durations, yes/no, field names.

One place turns a stored value into words, so that no code (`in_progress`), field name
(`due_date`) or Python repr (`1 day, 0:00:00`) reaches a page or a document.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_UNITS = (
    (86400, lambda n: ngettext("%(n)s jour", "%(n)s jours", n)),
    (3600, lambda n: ngettext("%(n)s heure", "%(n)s heures", n)),
    (60, lambda n: ngettext("%(n)s minute", "%(n)s minutes", n)),
    (1, lambda n: ngettext("%(n)s seconde", "%(n)s secondes", n)),
)


def duration(value: datetime.timedelta) -> str:
    """« 1 jour », « 7 jours », « 2 heures 30 minutes », « 0 seconde »."""
    seconds = int(value.total_seconds())
    parts = []
    for size, words in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(words(count) % {"n": count})
    return " ".join(parts) or ngettext("%(n)s seconde", "%(n)s secondes", 0) % {"n": 0}


def display_value(value, field: models.Field | None = None) -> str:
    """A stored value in words: a choice's label, a date « 06/01/2027 », « oui »/« non »,
    a duration in days and hours, a decimal with a comma; « — » when empty."""
    if value is None or value == "" or value == []:
        return "—"
    if field is not None and field.choices:
        labels = {str(code): label for code, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, str) and field is not None:
        if isinstance(field, models.DateTimeField):
            value = parse_datetime(value) or value
        elif isinstance(field, models.DateField):
            value = parse_date(value) or value
        elif isinstance(field, models.BooleanField) and value in {"True", "False"}:
            value = value == "True"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.timedelta):
        return duration(value)
    if isinstance(value, (Decimal, float)):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, (list, tuple)):
        return ", ".join(display_value(v, field) for v in value)
    return str(value)


def field_of(object_type: str, name: str) -> models.Field | None:
    """The model field `name` of the model labelled `object_type` (« cyber.planmeasure »)."""
    try:
        model = apps.get_model(object_type)
        field = model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if isinstance(field, models.Field) else None


def field_label(object_type: str, name: str) -> str:
    """The field's verbose name (« échéance »), else the key as written (« de », « date »)."""
    field = field_of(object_type, name)
    return str(field.verbose_name) if field is not None else name.replace("_", " ")


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str | None  # None: a value recorded without a before/after pair


def audit_changes(event) -> list[Change]:
    """An audit entry's `changes` as « statut : à faire → en cours » lines."""
    rows = []
    for name, values in (event.changes or {}).items():
        field = field_of(event.object_type, name)
        label = str(field.verbose_name) if field is not None else name.replace("_", " ")
        if isinstance(values, (list, tuple)) and len(values) == 2 and field is not None:
            rows.append(
                Change(label, display_value(values[0], field), display_value(values[1], field))
            )
        else:
            rows.append(Change(label, display_value(values, field), None))
    return rows
