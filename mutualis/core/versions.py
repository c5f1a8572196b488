"""Table versions: a token per table, changed by a database trigger on every write to the table.

A value computed from some tables (a count of France's communes, a page of the dashboard) can be
kept in the per-process `fragments` cache under the tokens of the tables it reads: any INSERT,
UPDATE or DELETE (and TRUNCATE on PostgreSQL) of those tables — through the ORM, a bulk load, raw
SQL, a migration or another process — changes the token inside the writer's transaction, so the
next reader misses the cache and computes the value again. Nothing has to remember to invalidate.

    seen = versions.read()  # one query: the token of every watched table
    count = seen.cached(("communes", query), [Commune, Epci], lambda: queryset.count())
    overdue = OVERDUE.cached(seen, today=today)  # a VersionedCount: its tables read from its SQL

- Tokens are random 63-bit numbers, not counters: a rolled-back transaction's token is never
  taken again by the next writer, so a value cached inside that transaction is never read back.
- A value is cached only under a token read *before* the value is computed: the data it was
  computed from is at least as new as the token, never older.
- Where a table has no token row (a database just flushed), nothing is cached: the value is
  computed on every call, which is always right. `post_migrate` (re)creates every row and trigger,
  and draws new tokens (a migration may have changed data before the triggers existed; SQLite's
  table rebuilds drop a table's triggers).
- Every table of the project's own apps is watched, except `UNWATCHED`: the tokens and the audit
  trail, which no cached value reads. A cached value that reads an unwatched table is refused
  (ValueError); one that reads another app's table (Django's, a third party's) is not cached.

On PostgreSQL the trigger runs once per statement and writes the token of its own connection (one
row per table and backend, `slot` = the backend's pid; a table's token is the XOR of its rows): two
transactions writing the same tables never wait for each other on a token, so the triggers add no
lock and no deadlock. `compact()` (hourly, in `clean_expired`) removes the rows of connections that
are gone. On SQLite (one writer at a time) the trigger runs once per row and updates the table's
single row.
"""

import hashlib
import re
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.cache import caches
from django.db import connections, models, router

from mutualis.core.prepared import PreparedCount

# The tokens themselves, and the audit trail: every audited write appends to it, so a token row
# for it would make every writing transaction wait for the others (see the module's docstring).
UNWATCHED = frozenset({"core_tableversion", "core_auditevent", "core_ratecounter"})

_QUOTED = re.compile(r'"([a-z0-9_]+)"')


def watched_tables() -> list[str]:
    """Every table of the project's own models (not Django's or third parties'), less UNWATCHED."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_config.name.startswith("mutualis.") and meta.managed and not meta.proxy:
            tables.add(meta.db_table)
    return sorted(tables - UNWATCHED)


def table_name(table: str | type[models.Model]) -> str:
    return table if isinstance(table, str) else table._meta.db_table


class Versions:
    """The tokens read at one moment; `cached` keeps values under them."""

    def __init__(self, tokens: dict[str, int]) -> None:
        self.tokens = tokens

    def key(self, tables: Iterable[str | type[models.Model]]) -> str | None:
        """The tokens of these tables as one string, or None when one has no token row."""
        parts = []
        for table in sorted({table_name(t) for t in tables}):
            if table in UNWATCHED:
                raise ValueError(f"{table} is not watched (core.versions.UNWATCHED)")
            token = self.tokens.get(table)
            if token is None:
                return None
            parts.append(f"{table}={token}")
        return ",".join(parts)

    def cached(self, name, tables: Iterable[str | type[models.Model]], compute: Callable):
        """`compute()`, kept in the `fragments` cache under `name` (any repr-able value naming
        what is computed, with every input that is not in the tables) and the tables' tokens."""
        tokens = self.key(tables)
        if tokens is None:
            return compute()
        digest = hashlib.sha256(repr((name, tokens)).encode()).hexdigest()
        key = f"versions:{digest}"
        cache = caches["fragments"]
        found = cache.get(key, _MISSING)
        if found is _MISSING:
            found = compute()
            cache.set(key, found)
        return found


_MISSING = object()


def read(using: str | None = None) -> Versions:
    """Every watched table's token, in one query."""
    from mutualis.core.models import TableVersion

    using = using or router.db_for_read(TableVersion)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL[connection.vendor == "postgresql"])
        return Versions(dict(cursor.fetchall()))


# SQLite: one row per table. PostgreSQL: a row per table and writing connection, XORed; a table
# without its base row (slot 0) has no token, as if it had no row at all.
_READ_SQL = (
    "SELECT name, token FROM core_tableversion",
    "SELECT name, bit_xor(token) FROM core_tableversion GROUP BY name HAVING bool_or(slot = 0)",
)


class VersionedCount(PreparedCount):
    """A PreparedCount whose results are cached under the tokens of the tables its SQL reads.

    OVERDUE = VersionedCount(lambda today: Call.objects.overdue(today), today=DATE_PLACEHOLDER)
    OVERDUE.cached(versions.read(), today=today)
    """

    def __init__(self, build, **placeholders) -> None:
        super().__init__(build, **placeholders)
        self._tables: dict[str, list[str]] = {}

    def tables(self, using: str = "default") -> list[str]:
        """The project's tables named in the count's SQL (joins and subqueries alike)."""
        found = self._tables.get(using)
        if found is None:
            if using not in self._compiled:
                self._compiled[using] = self._compile(using)
            known = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
            sql = self._compiled[using][0]
            found = self._tables[using] = sorted(set(_QUOTED.findall(sql)) & known)
        return found

    def cached(self, seen: Versions, *, using: str = "default", **values) -> int:
        connection, bound, (count_sql,) = self._execute(using, values)

        def count() -> int:
            with connection.cursor() as cursor:
                cursor.execute(count_sql, bound)
                return cursor.fetchone()[0]

        key = ("count", using, count_sql, tuple(map(str, bound)))
        return seen.cached(key, self.tables(using), count)


# --- triggers -------------------------------------------------------------------------------

# The writing connection's own row: no other transaction ever waits for it.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION core_tableversion_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO core_tableversion (name, slot, token)
    VALUES (TG_TABLE_NAME, pg_backend_pid(), (random() * 9.2e18)::bigint)
    ON CONFLICT (name, slot) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _trigger_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'CREATE OR REPLACE TRIGGER "{table}__version" AFTER INSERT OR UPDATE OR DELETE '
            f'OR TRUNCATE ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION core_tableversion_bump()'
        ]
    # SQLite: no statement triggers; a trigger per operation, run for each row. The table names
    # are the models' own (watched_tables), never a caller's.
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}__version_{op.lower()}" AFTER {op} ON "{table}" '  # noqa: S608
        f"BEGIN UPDATE core_tableversion SET token = random() WHERE name = '{table}' AND slot = 0; "
        "END"
        for op in ("INSERT", "UPDATE", "DELETE")
    ]


def install(using: str = "default") -> list[str]:
    """Create the missing token rows and triggers of every watched table, and draw new tokens
    for all of them. Idempotent; run after every migrate (`post_migrate`)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if "core_tableversion" not in existing:
        return []
    tables = [t for t in watched_tables() if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            cursor.execute("DELETE FROM core_tableversion")
            cursor.executemany(
                "INSERT INTO core_tableversion (name, slot, token) "
                "VALUES (%s, 0, (random() * 9.2e18)::bigint)",
                [(t,) for t in tables],
            )
        else:
            cursor.execute("DELETE FROM core_tableversion")
            cursor.executemany(
                "INSERT INTO core_tableversion (name, slot, token) VALUES (%s, 0, random())",
                [(t,) for t in tables],
            )
        for table in tables:
            for statement in _trigger_sql(connection.vendor, table):
                cursor.execute(statement)
    return tables


def compact(using: str = "default") -> int:
    """PostgreSQL: remove the token rows of connections that are gone (each removal changes its
    table's token once, which only means a value computed again). Returns the rows removed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM core_tableversion WHERE slot <> 0 "
            "AND slot NOT IN (SELECT pid FROM pg_stat_activity)"
        )
        return cursor.rowcount


def installed_triggers(using: str = "default") -> set[str]:
    """The tables that have a version trigger (for every operation on SQLite)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = c.relname || '__version'"
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        names: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            names.setdefault(table, set()).add(name)
        return {
            table
            for table, found in names.items()
            if {f"{table}__version_{op}" for op in ("insert", "update", "delete")} <= found
        }


def missing(using: str = "default") -> list[str]:
    """The watched tables without their trigger or their token row: a value cached under their
    tokens would not follow their writes (`/healthz` fails naming `table_versions`)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = {t for t in watched_tables() if t in existing}
    if "core_tableversion" not in existing:
        return sorted(tables)
    with_tokens = set(read(using).tokens)
    return sorted(tables - (installed_triggers(using) & with_tokens))
