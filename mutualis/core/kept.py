"""Forgetting what a page keeps in Django's cache, when the write that makes it stale happens."""

import time

from django.core.cache import cache
from django.db import transaction


def forget(*keys: str) -> None:
    """Delete the keys now, and again when the current transaction commits: a page served
    meanwhile may have kept what it read of the old rows (docs/performance.md)."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def generation(key: str) -> int:
    """The current generation under `key`: part of the keys of values that many writes make
    stale together, so that moving it on (`next_generation`) forgets them all. A generation the
    cache lost (evicted, restarted) comes back as a new one, never as an earlier one: nothing kept
    under an old generation can be read again."""
    return cache.get_or_set(key, time.time_ns, None)


def next_generation(key: str) -> None:
    """Move the generation under `key` on, now and again when the current transaction commits (a
    page served meanwhile may have kept what it read of the old rows)."""

    def move_on() -> None:
        cache.set(key, time.time_ns(), None)

    move_on()
    transaction.on_commit(move_on)
