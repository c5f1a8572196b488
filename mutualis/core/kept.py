"""Forgetting what a page keeps in Django's cache, when the write that makes it stale happens."""

from django.core.cache import cache
from django.db import transaction


def forget(*keys: str) -> None:
    """Delete the keys now, and again when the current transaction commits: a page served
    meanwhile may have kept what it read of the old rows (docs/performance.md)."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
