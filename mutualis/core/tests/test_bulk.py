"""insert_rows: plain rows into a model's table, other columns at their defaults."""

import pytest
from django.db import transaction

from mutualis.accounts.models import CommuneRole
from mutualis.core.bulk import insert_rows
from mutualis.territory.models import Commune, Epci, TerritoryImport

pytestmark = pytest.mark.django_db


def test_rows_land_with_every_other_column_at_its_default():
    epci = Epci.objects.create(siren="200000001", name="CC Test")
    rows = [(f"9{i:04d}", f"Commune {i}", epci.pk) for i in range(7)]
    assert insert_rows(Commune, ["insee_code", "name", "epci_id"], rows, batch=3) == 7
    communes = list(Commune.objects.filter(epci=epci).order_by("insee_code"))
    assert [c.insee_code for c in communes] == [r[0] for r in rows]
    first = communes[0]
    assert (first.name, first.epci_id, first.is_active, first.has_it_department) == (
        "Commune 0",
        epci.pk,
        True,
        False,
    )
    assert (first.council_seats, first.town_hall_address, first.population_total) == (
        None,
        "",
        None,
    )


def test_nothing_to_insert_is_zero_and_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Commune, ["insee_code", "name"], []) == 0


def test_unknown_column_is_refused_by_name():
    with pytest.raises(ValueError, match=r"territory.Commune has no column \['epci'\]"):
        insert_rows(Commune, ["insee_code", "epci"], [("99000", 1)])


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="a row has 1 values for 2"), transaction.atomic():
        insert_rows(Commune, ["insee_code", "name"], [("99000",)])
    assert not Commune.objects.filter(insee_code="99000").exists()


@pytest.mark.parametrize(
    ("model", "fields", "column"),
    [
        (CommuneRole, ["user_id", "commune_id", "role"], "granted_at"),  # default=timezone.now
        (TerritoryImport, ["vintage"], "at"),  # auto_now_add
    ],
)
def test_a_per_row_default_must_be_named(model, fields, column):
    with pytest.raises(ValueError, match=f"{column} has a per-row default"):
        insert_rows(model, fields, [tuple(range(len(fields)))])


def test_analyze_refreshes_postgresql_statistics_and_is_a_no_op_elsewhere(
    django_assert_num_queries,
):
    from django.db import connection

    from mutualis.core.bulk import analyze

    expected = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(expected) as captured:
        analyze(Commune, Epci)
    if expected:
        assert captured.captured_queries[0]["sql"] == (
            'ANALYZE "territory_commune", "territory_epci"'
        )
