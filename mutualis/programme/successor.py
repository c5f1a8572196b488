"""The successor's programme file, written from the current one (pure): new slug, name and dates,
the predecessor named, everything else kept for the coordinator to adjust (rates, capacity…)."""

import re
from datetime import date

from mutualis.programme.schema import parse_programme

_TABLE = re.compile(r"^\s*\[{1,2}[^\]]+\]{1,2}\s*$", re.MULTILINE)


def _programme_table(text: str) -> tuple[int, int]:
    """The character span of the [programme] table (up to the next table header)."""
    start = re.search(r"^\s*\[programme\]\s*$", text, re.MULTILINE)
    if start is None:
        raise ValueError("[programme]")
    following = _TABLE.search(text, start.end())
    return start.end(), following.start() if following else len(text)


def _set_key(table: str, key: str, value: str) -> str:
    line = re.compile(rf"^{key}\s*=.*$", re.MULTILINE)
    if line.search(table):
        return line.sub(lambda _m: f"{key} = {value}", table, count=1)
    return table.rstrip("\n") + f"\n{key} = {value}\n\n"


def successor_file(
    text: str, *, slug: str, name: str, start: date, end: date, free_exit_date: date | None
) -> str:
    """The current file with the successor's identity and dates; its [programme] `predecessor`
    names the current programme. The result is validated as any programme file."""
    current = parse_programme(text, source="current")
    begin, stop = _programme_table(text)
    table = text[begin:stop]
    for key, value in (
        ("slug", f'"{slug}"'),
        ("name", f'"{name}"'),
        ("start", start.isoformat()),
        ("end", end.isoformat()),
        ("predecessor", f'"{current.programme.slug}"'),
    ):
        table = _set_key(table, key, value)
    if free_exit_date is not None:
        table = _set_key(table, "free_exit_date", free_exit_date.isoformat())
    else:
        table = re.sub(r"^free_exit_date\s*=.*\n", "", table, flags=re.MULTILINE)
    result = text[:begin] + table + text[stop:]
    parse_programme(result, source=f"{slug}.toml")  # refuses a bad result with a precise message
    return result
