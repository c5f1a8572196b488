"""`{{ events|history_rows }}`: the rows of the audit-trail table (dashboards/_history_table.html).

Built in Python, as the coordinators' dashboard builds its rows (views._rows_html): four cells a
row through template variables and filters cost more than the rest of a commune's page's history
section, on the commune page (10 entries) and its history page (50). Every value is escaped as
the template would escape it.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from mutualis.core.templatetags.quick_dates import short_datetime

register = template.Library()


@register.filter
def history_rows(events) -> SafeString:
    """One `<tr>` per entry: date, actor (« — » when none), summary, reason."""
    rows = []
    for event in events:
        actor = conditional_escape(str(event.actor)) if event.actor else "—"
        rows.append(
            f"<tr><td>{conditional_escape(short_datetime(event.at))}</td><td>{actor}</td>"
            f"<td>{conditional_escape(event.summary)}</td>"
            f"<td>{conditional_escape(event.reason or '')}</td></tr>"
        )
    return mark_safe("".join(rows))  # every value above went through conditional_escape()
