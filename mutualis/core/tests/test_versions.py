"""Table versions: every watched table has its trigger, every write changes its token, and a value
cached under the tokens is computed again after any write to a table it reads, on either database."""

import datetime

import pytest
from django.db import connection, transaction

from mutualis.core import versions
from mutualis.core.models import TableVersion
from mutualis.core.prepared import DATE_PLACEHOLDER
from mutualis.territory.models import Commune, Epci


def _token(table: str) -> int:
    return versions.read().tokens[table]


@pytest.mark.django_db
def test_every_watched_table_has_its_trigger_and_a_token_after_migrate():
    tables = set(versions.watched_tables())
    assert {"territory_commune", "membership_membership", "contributions_call"} <= tables
    assert not tables & versions.UNWATCHED
    assert tables <= versions.installed_triggers()
    assert set(versions.read().tokens) == tables


@pytest.mark.django_db
def test_orm_raw_sql_bulk_and_deletes_change_the_token_and_reads_do_not():
    commune = Commune.objects.order_by("pk").first()
    before = _token("territory_commune")
    list(Commune.objects.all())
    Commune.objects.count()
    assert _token("territory_commune") == before

    seen = {before}
    commune.name = commune.name + " (test)"
    commune.save(update_fields=["name"])
    seen.add(_token("territory_commune"))
    Commune.objects.filter(pk=commune.pk).update(council_seats=19)
    seen.add(_token("territory_commune"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE territory_commune SET mayor_name = 'X' WHERE id = %s", [commune.pk])
    seen.add(_token("territory_commune"))
    Epci.objects.create(siren="999999999", name="Test")
    assert _token("territory_commune") in seen  # another table's write leaves it alone
    assert len(seen) == 4


@pytest.mark.django_db
def test_a_cached_value_is_computed_again_after_a_write_to_a_table_it_reads():
    calls = []

    def compute():
        calls.append(1)
        return Commune.objects.filter(is_active=True).count()

    first = versions.read().cached("active", [Commune], compute)
    assert versions.read().cached("active", [Commune], compute) == first
    assert len(calls) == 1
    Commune.objects.filter(pk=Commune.objects.filter(is_active=True).first().pk).update(
        is_active=False
    )
    assert versions.read().cached("active", [Commune], compute) == first - 1
    assert len(calls) == 2
    # Another name, or another table's write: its own entry.
    versions.read().cached("active, again", [Commune], compute)
    assert len(calls) == 3


@pytest.mark.django_db
def test_without_a_token_row_nothing_is_cached():
    TableVersion.objects.filter(name="territory_commune").delete()
    calls = []
    for _ in range(2):
        versions.read().cached("no row", [Commune], lambda: calls.append(1))
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_rolled_back_token_is_not_taken_again():
    """A value cached inside a transaction that rolls back must not be found by the next writer's
    readers: tokens are drawn at random, not counted up."""
    before = _token("territory_commune")
    commune = Commune.objects.order_by("pk").first()
    with pytest.raises(RuntimeError), transaction.atomic():
        Commune.objects.filter(pk=commune.pk).update(council_seats=1)
        inside = _token("territory_commune")
        raise RuntimeError
    assert _token("territory_commune") == before
    Commune.objects.filter(pk=commune.pk).update(council_seats=2)
    assert _token("territory_commune") not in {before, inside}


@pytest.mark.django_db
def test_unwatched_tables_are_refused():
    from mutualis.core.models import AuditEvent

    with pytest.raises(ValueError, match="core_auditevent"):
        versions.read().cached("events", [AuditEvent], lambda: 0)


@pytest.mark.django_db
def test_a_versioned_count_reads_its_tables_from_its_sql_and_follows_their_writes():
    from mutualis.contributions.models import Call, Payment

    overdue = versions.VersionedCount(
        lambda today: Call.objects.overdue(today), today=DATE_PLACEHOLDER
    )
    # The balance's subqueries name the payments and credit notes: a payment changes the count.
    assert {"contributions_call", "contributions_payment", "contributions_creditnote"} <= set(
        overdue.tables()
    )
    today = datetime.date(2031, 1, 1)
    expected = Call.objects.overdue(today).count()
    assert overdue.cached(versions.read(), today=today) == expected
    call = Call.objects.overdue(today).first()
    if call is None:
        pytest.skip("the demo data has no call overdue in 2031")
    Payment.objects.create(
        call=call,
        commune_id=call.commune_id,
        amount=call.amount,
        paid_on=datetime.date(2030, 12, 1),
        reference="test",
        source=Payment._meta.get_field("source").choices[0][0],
    )
    assert overdue.cached(versions.read(), today=today) == expected - 1
    assert overdue.cached(versions.read(), today=datetime.date(2000, 1, 1)) == 0


@pytest.mark.django_db
def test_postgresql_writers_of_the_same_table_never_wait_on_its_token():
    """Each connection writes its own token row: a transaction holding a write to the communes
    open does not block another writer of the same table (before, it waited for the first's
    commit; in opposite orders on two tables, that was a deadlock). Gone connections' rows are
    compacted."""
    import time

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    import psycopg

    settings = connection.settings_dict
    dsn = {
        "dbname": settings["NAME"],
        "user": settings["USER"] or "postgres",
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "autocommit": False,
    }
    first_id, second_id = Commune.objects.order_by("pk").values_list("pk", flat=True)[:2]
    before = _token("territory_commune")
    with psycopg.connect(**dsn) as first, psycopg.connect(**dsn) as second:
        first.execute("UPDATE territory_commune SET name = name WHERE id = %s", [first_id])
        second.execute("SET lock_timeout = '2s'")
        second.execute("UPDATE territory_commune SET name = name WHERE id = %s", [second_id])
        second.commit()  # did not wait for the first's open transaction
        after_second = _token("territory_commune")
        first.commit()
        after_first = _token("territory_commune")
        pids = {first.info.backend_pid, second.info.backend_pid}
    assert len({before, after_second, after_first}) == 3
    assert (
        set(TableVersion.objects.filter(name="territory_commune").values_list("slot", flat=True))
        >= pids
    )
    for _ in range(50):  # the backends end a moment after their connections close
        versions.compact()
        if not TableVersion.objects.filter(slot__in=pids).exists():
            break
        time.sleep(0.05)
    assert not TableVersion.objects.filter(slot__in=pids).exists()
    assert _token("territory_commune") != after_first  # compaction changes it once: recomputed
