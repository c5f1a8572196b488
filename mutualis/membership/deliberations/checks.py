"""The law's counting and timing rules applied to a deliberation reading, as findings in French."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .law import LegalRules, load_rules
from .names import name_key
from .reader import DeliberationReading

Severity = Literal["error", "warning"]

# Every message a person reads, in one place so the lead can wrap them for translation.
MESSAGES: dict[str, str] = {
    "field_unreadable": "Champ illisible : {field} n'a pas pu être lu dans le document.",
    "present_count_mismatch": "{announced} présents annoncés, {listed} noms listés.",
    "represented_count_mismatch": "{announced} pouvoirs annoncés, {listed} pouvoirs listés.",
    "members_named_mismatch": (
        "{named} membres nommés (présents, représentés et absents), {in_office} en exercice."
    ),
    "quorum_not_met": (
        "Quorum non atteint : {attending} {attending_label} pour {in_office} membres en exercice,"
        " {required} requis ({reference})."
    ),
    "proxy_holder_has_several": (
        "{holder} détient {count} pouvoirs ({members}) ; {maximum} au plus ({reference})."
    ),
    "proxy_holder_absent": (
        "{holder}, porteur du pouvoir de {member}, ne figure pas parmi les présents."
    ),
    "votes_exceed_voters": (
        "{total} voix (pour {for_}, contre {against}, abstention {abstention}) pour"
        " {voters} membres présents ou représentés."
    ),
    "unanimity_against": "Unanimité annoncée, mais {against} voix contre.",
    "unanimity_total": (
        "Unanimité annoncée, mais {total} voix pour {voters} membres présents ou représentés."
    ),
    "council_size_exceeds_legal": (
        "{in_office} membres en exercice pour un conseil de {legal} membres au plus"
        " (population municipale {population}, {reference})."
    ),
    "convocation_too_late": (
        "Convocation du {convocation} pour une séance du {session} : {required} jours francs"
        " requis ({reference}), {clear} seulement."
    ),
    "convocation_after_session": (
        "La convocation du {convocation} est postérieure à la séance du {session}."
    ),
    "commune_unknown": (
        "« {commune} » n'est pas une commune connue de la base : taille du conseil et délai de"
        " convocation non contrôlés."
    ),
    "population_unknown": (
        "Population municipale de « {commune} » inconnue à la date de la séance : taille du"
        " conseil et délai de convocation non contrôlés."
    ),
}
FIELD_LABELS: dict[str, str] = {
    "commune": "la commune",
    "session_date": "la date de séance",
    "subject": "l'objet",
}


@dataclass(frozen=True)
class Finding:
    """One result of a check: a stable code, its severity and a French message."""

    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class CheckContext:
    """What the checks need beyond the document: the commune's population and the dated law.

    `population_municipale` is the figure of the latest loaded vintage not after the session,
    chosen by the caller; `commune_known` says whether the commune was found in the database.
    """

    commune_known: bool
    population_municipale: int | None = None
    rules: LegalRules = field(default_factory=load_rules)


def _finding(
    code: str, severity: Severity, template: str | None = None, **values: object
) -> Finding:
    return Finding(code, severity, MESSAGES[template or code].format(**values))


def _french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _attendance(reading: DeliberationReading) -> tuple[int | None, int]:
    """Present and represented counts: announced where the document gives them, else listed."""
    present = reading.present_count
    if present is None and reading.present:
        present = len(reading.present)
    represented = reading.represented_count
    if represented is None:
        represented = len(reading.represented)
    return present, represented


def check(reading: DeliberationReading, *, context: CheckContext) -> list[Finding]:
    """Every finding on a reading: unread core fields, count mismatches and legal violations."""
    findings: list[Finding] = []
    for field_name, label in FIELD_LABELS.items():
        if getattr(reading, field_name) is None:
            findings.append(_finding("field_unreadable", "warning", field=label))
    findings += _check_lists(reading)
    findings += _check_quorum_and_proxies(reading, context.rules)
    findings += _check_votes(reading)
    findings += _check_population_rules(reading, context)
    return findings


def _check_lists(reading: DeliberationReading) -> list[Finding]:
    findings = []
    announced = reading.present_count
    if announced is not None and reading.present and announced != len(reading.present):
        findings.append(
            _finding(
                "present_count_mismatch",
                "warning",
                announced=announced,
                listed=len(reading.present),
            )
        )
    announced = reading.represented_count
    if announced is not None and reading.represented and announced != len(reading.represented):
        findings.append(
            _finding(
                "represented_count_mismatch",
                "warning",
                announced=announced,
                listed=len(reading.represented),
            )
        )
    if reading.absent_listed and reading.present and reading.members_in_office is not None:
        named = {name_key(name) for name in reading.present}
        named |= {name_key(member) for member, _ in reading.represented}
        named |= {name_key(name) for name in reading.absent}
        if len(named) != reading.members_in_office:
            findings.append(
                _finding(
                    "members_named_mismatch",
                    "warning",
                    named=len(named),
                    in_office=reading.members_in_office,
                )
            )
    return findings


def _check_quorum_and_proxies(reading: DeliberationReading, rules: LegalRules) -> list[Finding]:
    findings = []
    regime = rules.regime_on(reading.session_date)
    present, represented = _attendance(reading)
    if (
        not reading.second_convocation
        and present is not None
        and reading.members_in_office is not None
    ):
        attending = present + (represented if regime.quorum_counts_represented else 0)
        required = regime.quorum(reading.members_in_office)
        if attending < required:
            findings.append(
                _finding(
                    "quorum_not_met",
                    "error",
                    attending=attending,
                    attending_label=(
                        "présents ou représentés"
                        if regime.quorum_counts_represented
                        else "présents"
                    ),
                    in_office=reading.members_in_office,
                    required=required,
                    reference=regime.reference,
                )
            )
    by_holder: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for member, holder in reading.represented:
        by_holder[name_key(holder)].append((member, holder))
    for proxies in by_holder.values():
        if len(proxies) > regime.max_proxies_per_member:
            findings.append(
                _finding(
                    "proxy_holder_has_several",
                    "error",
                    holder=proxies[0][1],
                    count=len(proxies),
                    members=", ".join(member for member, _ in proxies),
                    maximum=regime.max_proxies_per_member,
                    reference=regime.reference,
                )
            )
    present_keys = {name_key(name) for name in reading.present}
    absent_keys = {name_key(name) for name in reading.absent}
    represented_keys = {name_key(member) for member, _ in reading.represented}
    for member, holder in reading.represented:
        key = name_key(holder)
        missing = key not in present_keys if present_keys else key in absent_keys | represented_keys
        if missing:
            findings.append(_finding("proxy_holder_absent", "error", holder=holder, member=member))
    return findings


def _check_votes(reading: DeliberationReading) -> list[Finding]:
    if reading.votes_for is None:
        return []
    present, represented = _attendance(reading)
    against = reading.votes_against or 0
    abstention = reading.votes_abstention or 0
    total = reading.votes_for + against + abstention
    findings = []
    if reading.unanimous and against > 0:
        findings.append(
            _finding("unanimity_contradiction", "error", "unanimity_against", against=against)
        )
    if present is None:
        return findings
    voters = present + represented
    if total > voters:
        findings.append(
            _finding(
                "votes_exceed_voters",
                "error",
                total=total,
                for_=reading.votes_for,
                against=against,
                abstention=abstention,
                voters=voters,
            )
        )
    elif reading.unanimous and total != voters and not against:
        findings.append(
            _finding(
                "unanimity_contradiction", "error", "unanimity_total", total=total, voters=voters
            )
        )
    return findings


def _check_population_rules(reading: DeliberationReading, context: CheckContext) -> list[Finding]:
    findings = []
    rules = context.rules
    population = context.population_municipale if context.commune_known else None
    if population is None:
        template = "commune_unknown" if not context.commune_known else "population_unknown"
        findings.append(
            _finding("commune_unknown", "warning", template, commune=reading.commune or "?")
        )
    elif reading.members_in_office is not None:
        legal = rules.council_size(population)
        if reading.members_in_office > legal:
            findings.append(
                _finding(
                    "council_size_exceeds_legal",
                    "error",
                    in_office=reading.members_in_office,
                    legal=legal,
                    population=population,
                    reference=rules.council_reference,
                )
            )
    if reading.session_date and reading.convocation_date:
        clear = (reading.session_date - reading.convocation_date).days - 1
        # Below the smaller delay the convocation is late whatever the population, so this
        # much is checked even for an unknown commune or body; the rest needs the population.
        required = (
            rules.convocation_clear_days(population)
            if population is not None
            else min(rules.clear_days_below, rules.clear_days_from)
        )
        values = {
            "convocation": _french_date(reading.convocation_date),
            "session": _french_date(reading.session_date),
        }
        if reading.convocation_date > reading.session_date:
            findings.append(
                _finding("convocation_too_late", "error", "convocation_after_session", **values)
            )
        elif clear < required:
            findings.append(
                _finding(
                    "convocation_too_late",
                    "error",
                    clear=clear,
                    required=required,
                    reference=rules.convocation_reference,
                    **values,
                )
            )
    return findings
