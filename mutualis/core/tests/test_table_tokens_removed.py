"""Upgrading a database that had table tokens: migration core 0005 drops the triggers that wrote
them before it drops their table, so that writes keep working (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from mutualis.territory.models import Epci

# What the token machinery put on every table before 0005 (here on one table).
_PG_OLD_TRIGGER = [
    """CREATE OR REPLACE FUNCTION core_tableversion_bump() RETURNS trigger AS $$
    BEGIN
        INSERT INTO core_tableversion (name, slot, token)
        VALUES (TG_TABLE_NAME, pg_backend_pid(), (random() * 9.2e18)::bigint)
        ON CONFLICT (name, slot) DO UPDATE SET token = EXCLUDED.token;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql""",
    'CREATE TRIGGER "territory_epci__version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
    'ON "territory_epci" FOR EACH STATEMENT EXECUTE FUNCTION core_tableversion_bump()',
]
_SQLITE_BUMP = (
    "BEGIN UPDATE core_tableversion SET token = random() "
    "WHERE name = 'territory_epci' AND slot = 0; END"
)
_SQLITE_OLD_TRIGGER = [
    f'CREATE TRIGGER "territory_epci__version_{op}" AFTER {op} ON "territory_epci" {_SQLITE_BUMP}'
    for op in ("INSERT", "UPDATE", "DELETE")
]


def _triggers_writing_tokens() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE p.proname = 'core_tableversion_bump'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND sql LIKE '%core_tableversion%'"
            )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_upgrading_drops_the_token_triggers_and_writes_still_work():
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0003_table_version")])
    with connection.cursor() as cursor:
        for statement in (
            _PG_OLD_TRIGGER if connection.vendor == "postgresql" else _SQLITE_OLD_TRIGGER
        ):
            cursor.execute(statement)
    assert _triggers_writing_tokens()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _triggers_writing_tokens() == []
    assert "core_tableversion" not in connection.introspection.table_names()
    epci = Epci.objects.create(siren="200000001", name="Essai")
    assert Epci.objects.filter(pk=epci.pk).update(name=F("name")) == 1
