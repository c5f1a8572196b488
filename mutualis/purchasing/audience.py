"""Which communes a purchasing or support service is for, read from their memberships."""

from mutualis.membership.enums import IN_OFFER
from mutualis.membership.models import Membership
from mutualis.programme.models import Programme
from mutualis.territory.models import Commune


def _advanced_codes(programme: Programme) -> set[str]:
    return {o.code for o in programme.spec.advanced_offers()}


def offers_by_commune(programme: Programme | None, communes=None) -> dict[int, set[str]]:
    """Offer codes each commune is in (IN_OFFER states), in one query."""
    if programme is None:
        return {}
    queryset = Membership.objects.filter(programme=programme, status__in=IN_OFFER)
    if communes is not None:
        queryset = queryset.filter(commune__in=communes)
    out: dict[int, set[str]] = {}
    for commune_id, code in queryset.values_list("commune_id", "offer_code"):
        out.setdefault(commune_id, set()).add(code)
    return out


def commune_offers(commune: Commune, programme: Programme | None = None) -> set[str]:
    programme = programme or Programme.objects.for_commune(commune)
    return offers_by_commune(programme, [commune.pk]).get(commune.pk, set())


def is_member(commune: Commune, programme: Programme | None = None) -> bool:
    """In any offer of the programme (the base offer at least)."""
    return bool(commune_offers(commune, programme))


def is_advanced(commune: Commune, programme: Programme | None = None) -> bool:
    """In one of the programme's advanced offers."""
    programme = programme or Programme.objects.for_commune(commune)
    if programme is None:
        return False
    return bool(commune_offers(commune, programme) & _advanced_codes(programme))


def member_communes(programme: Programme | None):
    """Communes in any offer of the programme."""
    if programme is None:
        return Commune.objects.none()
    ids = Membership.objects.filter(programme=programme, status__in=IN_OFFER).values("commune_id")
    return Commune.objects.filter(pk__in=ids)


def advanced_communes(programme: Programme | None):
    """Communes in an advanced offer of the programme."""
    if programme is None:
        return Commune.objects.none()
    ids = Membership.objects.filter(
        programme=programme, status__in=IN_OFFER, offer_code__in=_advanced_codes(programme)
    ).values("commune_id")
    return Commune.objects.filter(pk__in=ids)
