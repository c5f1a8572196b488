"""End-of-support dates of operating systems, from the project's reference table; no database."""

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

_PUNCTUATION = re.compile(r"[^\w.]+|(?<!\d)\.|\.(?!\d)")
TABLE = Path(__file__).resolve().parent / "data" / "end_of_support.toml"


@dataclass(frozen=True, slots=True)
class System:
    key: str
    label: str
    match: tuple[str, ...]
    end: date
    note: str = ""


@cache
def reference() -> tuple[System, ...]:
    data = tomllib.loads(TABLE.read_text(encoding="utf-8"))
    return tuple(
        System(
            key=row["key"],
            label=row["label"],
            match=tuple(row["match"]),
            end=row["end"],
            note=row.get("note", ""),
        )
        for row in data["systems"]
    )


def identify(operating_system: str) -> System | None:
    """The reference entry an inventory's free-text system matches, or None (never a guess)."""
    # Whole words only, so that "Debian 12.10" is not taken for Debian 10.
    text = " " + " ".join(_PUNCTUATION.sub(" ", operating_system.lower()).split()) + " "
    if not text.strip():
        return None
    for system in reference():
        if all(f" {f} " in text or f" {f}." in text for f in system.match):
            return system
    return None


def support_status(end: date | None, *, today: date, warn_days: int = 180) -> str:
    """'ended', 'ending' (within warn_days), 'supported', or 'unknown'."""
    if end is None:
        return "unknown"
    if end < today:
        return "ended"
    if (end - today).days <= warn_days:
        return "ending"
    return "supported"
