"""The intercommunality's name and logo for the page header, from the programme file the instance
is configured with (`MUTUALIS_PROGRAMME_FILE`, the setting `MUTUALIS_DEFAULT_PROGRAMME_FILE`): read once per process, like the settings, so that
no page pays a query for its header."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mutualis.programme.schema import parse_programme


@dataclass(frozen=True)
class Brand:
    name: str  # the operator's name, shown as a text mark when there is no logo
    logo: str = ""  # a path in the static files


@cache
def brand_of(path: str) -> Brand | None:
    """The operator's name and logo of the programme file at `path`; None when it cannot be read
    (the header then shows Mutualis alone)."""
    try:
        spec = parse_programme(Path(path).read_text(encoding="utf-8"), source=path)
    except (OSError, ValueError):
        return None
    return Brand(name=spec.programme.operator_name, logo=spec.programme.logo)
