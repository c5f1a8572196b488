"""French alphabetical order on SQLite and PostgreSQL (run with DATABASE_URL for the latter)."""

from mutualis.core.collation import by_name, french, sort_key
from mutualis.territory.models import Commune

NAMES = ["Pouze", "Péchabou", "Pechbusque", "Odars", "Écoles", "Ayguesvives"]


def test_sort_key_puts_accented_letters_with_their_base_letter():
    assert sorted(NAMES, key=sort_key) == [
        "Ayguesvives", "Écoles", "Odars", "Péchabou", "Pechbusque", "Pouze",
    ]  # fmt: skip


def test_communes_sort_in_french_order_by_default_and_by_helper(db):
    names = ["Pouze", "Péchabou", "Pechbusque", "Odars"]
    communes = Commune.objects.filter(name__in=names)

    assert list(communes.values_list("name", flat=True)) == [
        "Odars", "Péchabou", "Pechbusque", "Pouze",
    ]  # fmt: skip
    assert [c.name for c in by_name(communes)] == ["Odars", "Péchabou", "Pechbusque", "Pouze"]
    descending = communes.order_by(french("name").desc()).values_list("name", flat=True)
    assert list(descending) == ["Pouze", "Pechbusque", "Péchabou", "Odars"]


def test_commune_dashboard_shows_pechabou_before_pechbusque(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/tableau-de-bord/").content.decode()

    assert page.index("Péchabou") < page.index("Pechbusque")
