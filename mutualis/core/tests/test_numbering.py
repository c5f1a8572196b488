"""Document numbers: consecutive per series and year, given back when the document is not issued.

`lock_series` holds the lock without taking a number. Concurrency (several processes issuing at
once) is tested in operations/tests/test_scheduler.py (SQLite) and operations/tests/test_faults.py
(PostgreSQL)."""

import pytest
from django.db import transaction

from mutualis.core.numbering import format_number, lock_series, next_number


def test_numbers_follow_each_other_per_series_and_year(db):
    with transaction.atomic():
        assert [next_number("appel", 2025) for _ in range(3)] == [1, 2, 3]
        assert next_number("appel", 2026) == 1
        assert next_number("avoir", 2025) == 1


def test_a_rolled_back_document_gives_its_number_back(db):
    with transaction.atomic():
        assert next_number("appel", 2030) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("appel", 2030) == 2
        raise RuntimeError("the call could not be issued")
    with transaction.atomic():
        assert next_number("appel", 2030) == 2


def test_outside_a_transaction_is_a_programming_error(transactional_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number("appel", 2025)


def test_format():
    assert format_number(7, 2025) == "2025-0007"
    assert format_number(12, 2025, prefix="AV-") == "AV-2025-0012"


def test_locking_a_series_takes_no_number(db):
    with transaction.atomic():
        lock_series("appel", 2040)
        assert next_number("appel", 2040) == 1
        lock_series("appel", 2040)
        assert next_number("appel", 2040) == 2


def test_locking_outside_a_transaction_is_a_programming_error(transactional_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        lock_series("appel", 2025)
