"""core.display: stored values in words."""

import datetime

from mutualis.core.display import audit_changes, display_value, duration, field_of
from mutualis.core.models import AuditEvent


def test_duration_reads_in_french_words():
    assert duration(datetime.timedelta(days=1)) == "1 jour"
    assert duration(datetime.timedelta(days=7)) == "7 jours"
    assert duration(datetime.timedelta(hours=2, minutes=30)) == "2 heures 30 minutes"
    assert duration(datetime.timedelta(minutes=1)) == "1 minute"


def test_display_value_gives_labels_dates_and_yes_no():
    status = field_of("cyber.planmeasure", "status")
    assert display_value("in_progress", status) == "En cours"
    assert display_value("2027-01-06", field_of("cyber.planmeasure", "due_date")) == "06/01/2027"
    assert display_value(True) == "oui"
    assert display_value("") == "—"


def test_audit_changes_name_the_field_by_its_verbose_name():
    event = AuditEvent(
        object_type="cyber.planmeasure",
        changes={"status": ["todo", "done"], "de": "candidate"},
    )
    rows = [(c.label, c.before, c.after) for c in audit_changes(event)]
    assert rows == [("état", "À faire", "Faite"), ("de", "candidate", None)]
