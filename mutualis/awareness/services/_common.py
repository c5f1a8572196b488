"""Shared by the awareness workflows: the refusal error."""

from __future__ import annotations


class AwarenessError(ValueError):
    """A request refused with a French message saying why; nothing was written."""
