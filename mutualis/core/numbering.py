"""Gapless document numbers (calls `2025-0001`, credit notes `AV-2025-0001`...), safe across servers.

`next_number(series, year)` must be called inside the transaction that writes the document: it
locks the series' counter row until that transaction ends, so two app servers issuing at once
are served one after the other, and a rolled-back document gives its number back (no gap, no
duplicate). On PostgreSQL the lock is a row lock (SELECT ... FOR UPDATE); on SQLite the
IMMEDIATE transaction mode (settings) takes the database write lock at BEGIN, which serialises
writers the same way.
"""

from django.db import connection

from mutualis.core.models import DocumentCounter


def _locked_counter(series: str, year: int) -> DocumentCounter:
    if not connection.in_atomic_block:
        raise RuntimeError(
            "next_number() and lock_series() must run inside the transaction that issues the "
            "document"
        )
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(series=series, year=year, last=0)], ignore_conflicts=True
    )
    return DocumentCounter.objects.select_for_update().get(series=series, year=year)


def next_number(series: str, year: int) -> int:
    """The next number of `series` in `year`, starting at 1. Call inside transaction.atomic()."""
    counter = _locked_counter(series, year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def lock_series(series: str, year: int) -> None:
    """Hold the series' lock until the transaction ends, without taking a number.

    For a workflow that decides what to number from what is already issued (`issue_calls`): it
    takes the lock before reading, so a concurrent run waits and then sees the documents issued.
    """
    _locked_counter(series, year)


def format_number(number: int, year: int, *, prefix: str = "", width: int = 4) -> str:
    """`format_number(7, 2025, prefix="AV-")` → `AV-2025-0007`."""
    return f"{prefix}{year}-{number:0{width}d}"


__all__ = ["format_number", "lock_series", "next_number"]
