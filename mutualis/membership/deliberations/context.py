"""What the legal checks need from the database: is the commune known, and its population."""

from mutualis.membership.deliberations.checks import CheckContext
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
    commune = find_commune(reading.commune, prefer_epcis=prefer_epcis)
    if commune is None:
        return CheckContext(commune_known=False)
    population = (
        commune.population_municipale_on(reading.session_date.year)
        if reading.session_date
        else None
    )
    return CheckContext(commune_known=True, population_municipale=population)
