"""« À jour » is said only of a commune in one of the offers."""

from mutualis.membership.models import Membership
from mutualis.territory.models import Commune


def test_commune_outside_every_offer_shows_no_up_to_date_badge(client, coordinator):
    in_offer = Membership.objects.in_offer().values("commune")
    outside = Commune.objects.filter(epci__isnull=False).exclude(pk__in=in_offer).first()
    client.force_login(coordinator)

    page = client.get(f"/communes/{outside.insee_code}/").content.decode()

    assert "À suivre" in page or "Support" in page
    assert ">À jour<" not in page


def test_commune_in_an_offer_keeps_its_up_to_date_badges(client, coordinator, odars):
    client.force_login(coordinator)

    page = client.get(f"/communes/{odars.insee_code}/").content.decode()

    assert ">À jour<" in page
