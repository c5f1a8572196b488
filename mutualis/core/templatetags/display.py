"""`{{ event|audit_changes }}` and `{{ delta|duration }}`: stored values in words (core.display)."""

from django import template

from mutualis.core import display

register = template.Library()

register.filter("audit_changes", display.audit_changes)
register.filter("duration", display.duration)
