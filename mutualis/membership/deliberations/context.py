"""What the legal checks need from the database: is the commune known, and its population."""

from datetime import date

from mutualis.membership.deliberations.checks import CheckContext, check
from mutualis.membership.deliberations.names import place_key
from mutualis.membership.deliberations.reader import DeliberationReading
from mutualis.territory.models import Commune


def find_commune(name: str | None, *, prefer_epcis: list[str] | None = None) -> Commune | None:
    """The one commune of that name (accents, case, hyphens ignored), or None when none or several.

    Homonyms are common in France ("Saint-Martin"): a name shared by several communes resolves only
    if exactly one of them is in the programme's territory; otherwise nothing is guessed.
    """
    if not name:
        return None
    key = place_key(name)
    first_word = name.strip().split()[0].split("-")[0][:4]
    candidates = [
        c
        for c in Commune.objects.active()
        .filter(name__icontains=first_word)
        .select_related("epci")
        .prefetch_related("populations")
        if place_key(c.name) == key
    ] or [
        c
        for c in Commune.objects.active().select_related("epci").prefetch_related("populations")
        if place_key(c.name) == key
    ]
    if len(candidates) > 1 and prefer_epcis:
        candidates = [c for c in candidates if c.epci and c.epci.siren in prefer_epcis]
    return candidates[0] if len(candidates) == 1 else None


def check_context(
    reading: DeliberationReading, *, prefer_epcis: list[str] | None = None
) -> CheckContext:
    """The context of a reading whose commune is known only by the name the document gives."""
    commune = find_commune(reading.commune, prefer_epcis=prefer_epcis)
    return context_for(commune, reading.session_date)


def context_for(commune: Commune | None, session_date: date | None) -> CheckContext:
    """The context for a commune already identified (None: unknown, population checks skipped)."""
    if commune is None:
        return CheckContext(commune_known=False)
    population = commune.population_municipale_on(session_date.year) if session_date else None
    return CheckContext(commune_known=True, population_municipale=population)


def findings_for(reading: DeliberationReading, *, commune: Commune | None = None) -> list[dict]:
    """Every finding on a reading as stored in `Deliberation.findings`: code, severity, message.

    With `commune` the reading is checked against that commune (the one a deliberation is
    recorded for); without, the commune is looked up from the name the document gives.
    """
    if commune is not None:
        context = context_for(commune, reading.session_date)
    else:
        from mutualis.programme.models import served_epci_sirens

        epcis = served_epci_sirens() or None
        context = check_context(reading, prefer_epcis=epcis)
    return [
        {"code": f.code, "severity": f.severity, "message": f.message}
        for f in check(reading, context=context)
    ]
