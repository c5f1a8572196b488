"""Review periods of a programme: every N months from its start, pure date arithmetic."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class ReviewPeriod:
    number: int
    start: date
    end: date

    def label(self) -> str:
        return _("Bilan n° %(number)s (%(start)s – %(end)s)") % {
            "number": self.number,
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, 1) if day.day == 1 else date(year, month, min(day.day, 28))


def review_periods(start: date, end: date, months: int) -> list[ReviewPeriod]:
    """Consecutive periods of `months` months from `start`; the last one stops at `end`."""
    if months < 1 or end < start:
        raise ValueError(_("période de bilan invalide"))
    periods, number, cursor = [], 1, start
    while cursor <= end:
        following = _add_months(cursor, months)
        periods.append(ReviewPeriod(number, cursor, min(following - timedelta(days=1), end)))
        cursor, number = following, number + 1
    return periods


def period_containing(day: date, *, start: date, end: date, months: int) -> ReviewPeriod | None:
    for period in review_periods(start, end, months):
        if period.start <= day <= period.end:
            return period
    return None


def period_name(start: date, end: date) -> str:
    """A period as people say it: « 1er semestre 2025 » for a calendar half-year, else its months
    (« juillet 2024 – décembre 2024 »); never the review's number."""
    if start.year == end.year and start.day == 1 and (start.month, end.month) == (1, 6):
        return _("1er semestre %(year)s") % {"year": start.year}
    if start.year == end.year and start.day == 1 and (start.month, end.month) == (7, 12):
        return _("2e semestre %(year)s") % {"year": start.year}
    first, last = date_format(start, "F Y"), date_format(end, "F Y")
    return first if first == last else _("%(first)s – %(last)s") % {"first": first, "last": last}
