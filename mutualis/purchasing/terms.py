"""Contract dates: the current term of a contract (tacit renewals rolled forward) and its
notice deadline. Pure Python, no database.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the last day of a shorter month when needed."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Term:
    start: date
    end: date
    notice_deadline: date
    renewals: int  # how many tacit renewals were rolled forward to reach this term


def current_term(
    *,
    start: date,
    end: date,
    notice_months: int,
    tacit_renewal_months: int | None,
    today: date,
    max_renewals: int | None = None,
) -> Term:
    """The term running today (or the last one): for a tacitly renewed contract whose end has
    passed, the term rolls forward by its renewal length until it ends today or later, or until
    its renewals are used up. The notice deadline is the last day on which notice can be given:
    `notice_months` before the term's end.
    """
    term_start, term_end, renewals = start, end, 0
    if tacit_renewal_months:
        while term_end < today and (max_renewals is None or renewals < max_renewals):
            term_start = term_end + timedelta(days=1)
            term_end = add_months(term_end, tacit_renewal_months)
            renewals += 1
    return Term(
        start=term_start,
        end=term_end,
        notice_deadline=add_months(term_end, -notice_months),
        renewals=renewals,
    )


def days_until(day: date, today: date) -> int:
    return (day - today).days
