"""The council rules of the CGCT and of the 2020–2022 health emergency, loaded from law.toml."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _

LAW_FILE = Path(__file__).with_name("law.toml")


class LawFileError(ValueError):
    """The law file is missing a value or holds one of the wrong kind."""


@dataclass(frozen=True)
class Regime:
    """Quorum and proxy rules in force on a given day."""

    quorum_numerator: int
    quorum_denominator: int
    quorum_strictly_more: bool
    quorum_counts_represented: bool
    max_proxies_per_member: int
    reference: str
    start: date | None = None
    end: date | None = None

    @property
    def is_emergency(self) -> bool:
        return self.start is not None

    def quorum(self, members_in_office: int) -> int:
        """The smallest attendance that meets the quorum for this many members in office."""
        share = members_in_office * self.quorum_numerator
        if self.quorum_strictly_more:
            return share // self.quorum_denominator + 1
        return math.ceil(share / self.quorum_denominator)


@dataclass(frozen=True)
class LegalRules:
    """Every dated rule the checks need; `regime_on` picks the one for a session date."""

    council_brackets: tuple[tuple[int, int], ...]
    council_reference: str
    convocation_threshold: int
    clear_days_below: int
    clear_days_from: int
    convocation_reference: str
    ordinary: Regime
    emergencies: tuple[Regime, ...]

    def council_size(self, population: int) -> int:
        """Legal number of councillors (CGCT L2121-2) for a population municipale."""
        size = self.council_brackets[0][1]
        for population_min, councillors in self.council_brackets:
            if population >= population_min:
                size = councillors
        return size

    def convocation_clear_days(self, population: int) -> int:
        """Clear days required between convocation and session (CGCT L2121-11, L2121-12)."""
        if population >= self.convocation_threshold:
            return self.clear_days_from
        return self.clear_days_below

    def regime_on(self, day: date | None) -> Regime:
        """The quorum and proxy rules in force on `day` (the ordinary ones when unknown)."""
        if day is not None:
            for regime in self.emergencies:
                if regime.start <= day <= regime.end:
                    return regime
        return self.ordinary


def _bracket(index: int) -> str:
    return _("[council_size] tranche %(number)s") % {"number": index + 1}


def _emergency(index: int) -> str:
    return _("[[emergency]] n° %(number)s") % {"number": index + 1}


# Where a table sits in law.toml, put into words only when a message needs it: the rules are read
# outside Django too (bench, pure tests), where gettext is not ready until something is refused.
_bracket_where = lazy(_bracket, str)
_emergency_where = lazy(_emergency, str)


def _get(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise LawFileError(
            _("%(where)s : la clé « %(key)s » manque.") % {"where": where, "key": key}
        )
    value = table[key]
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise LawFileError(
            _("%(where)s : « %(key)s » doit être de type %(kind)s.")
            % {"where": where, "key": key, "kind": kind.__name__}
        )
    return value


def _regime(table: dict[str, Any], where: str, dated: bool) -> Regime:
    regime = Regime(
        quorum_numerator=_get(table, "quorum_numerator", int, where),
        quorum_denominator=_get(table, "quorum_denominator", int, where),
        quorum_strictly_more=_get(table, "quorum_strictly_more", bool, where),
        quorum_counts_represented=_get(table, "quorum_counts_represented", bool, where),
        max_proxies_per_member=_get(table, "max_proxies_per_member", int, where),
        reference=_get(table, "reference", str, where),
        start=_get(table, "start", date, where) if dated else None,
        end=_get(table, "end", date, where) if dated else None,
    )
    if regime.quorum_denominator <= 0 or regime.max_proxies_per_member < 0:
        raise LawFileError(
            _("%(where)s : fraction de quorum ou nombre de pouvoirs invalide.") % {"where": where}
        )
    if dated and regime.start > regime.end:
        raise LawFileError(
            _("%(where)s : la date de début suit la date de fin.") % {"where": where}
        )
    return regime


def parse_rules(data: dict[str, Any]) -> LegalRules:
    """Validate the content of a law file and build the rules, refusing a bad file precisely."""
    council = _get(data, "council_size", dict, "law.toml")
    brackets = []
    for index, row in enumerate(_get(council, "brackets", list, "[council_size]")):
        where = _bracket_where(index)
        if not isinstance(row, dict):
            raise LawFileError(_("%(where)s : une table est attendue.") % {"where": where})
        brackets.append(
            (_get(row, "population_min", int, where), _get(row, "councillors", int, where))
        )
    if not brackets or brackets[0][0] != 0 or brackets != sorted(set(brackets)):
        raise LawFileError(_("[council_size] : tranches vides, non triées ou ne partant pas de 0."))
    convocation = _get(data, "convocation", dict, "law.toml")
    emergencies = tuple(
        sorted(
            (
                _regime(row, _emergency_where(index), dated=True)
                for index, row in enumerate(data.get("emergency", []))
            ),
            key=lambda regime: regime.start,
        )
    )
    for before, after in pairwise(emergencies):
        if after.start <= before.end:
            raise LawFileError(
                _("[[emergency]] : périodes qui se chevauchent le %(date)s.")
                % {"date": after.start}
            )
    return LegalRules(
        council_brackets=tuple(brackets),
        council_reference=_get(council, "reference", str, "[council_size]"),
        convocation_threshold=_get(convocation, "population_threshold", int, "[convocation]"),
        clear_days_below=_get(convocation, "clear_days_below_threshold", int, "[convocation]"),
        clear_days_from=_get(convocation, "clear_days_from_threshold", int, "[convocation]"),
        convocation_reference=_get(convocation, "reference", str, "[convocation]"),
        ordinary=_regime(_get(data, "ordinary", dict, "law.toml"), "[ordinary]", dated=False),
        emergencies=emergencies,
    )


@cache
def load_rules(path: Path = LAW_FILE) -> LegalRules:
    """The rules of a law file (by default the shipped law.toml), read once."""
    with open(path, "rb") as handle:
        return parse_rules(tomllib.load(handle))
