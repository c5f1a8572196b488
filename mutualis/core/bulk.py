"""Insert many rows of plain values in one statement per batch, for imports of whole France.

`bulk_create` builds a model instance per row and prepares every value through its field: for the
35,000 communes and 35,000 populations of a whole-France import that is 600,000 converted values and
most of the import's time. `insert_rows` takes rows that are already in the database's types
(str, int, bool, None), fills every other column with its field's default, and hands the batch to
the driver's `executemany` (SQLite) or to `COPY` (PostgreSQL). The SQL names the model's own table and columns, quoted by the backend;
no value is ever interpolated.

    insert_rows(Population, ["commune_id", "vintage", "total", "municipal", "source"], rows)
"""

import itertools
from collections.abc import Iterable, Sequence

from django.db import connections
from django.db.models import Model


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    batch: int = 5000,  # rows per executemany (SQLite); PostgreSQL streams them in one COPY
    using: str = "default",
) -> int:
    """Insert `rows` (one value per name in `fields`, by attribute name: `epci_id`, not `epci`)
    into `model`'s table; every other concrete column gets its field's default. Returns the count.

    Values go to the driver as they are: pass only str, int, bool, None (no model instance, no
    lazy translation). Defaults must be constants: a callable default (a date, a uuid) would be
    the same for every row, so such a field refuses (name it in `fields` instead). Call it in
    a transaction: a refused row stops the insert and leaves the transaction to roll back.
    """
    opts = model._meta
    by_attname = {f.attname: f for f in opts.concrete_fields}
    unknown = [name for name in fields if name not in by_attname]
    if unknown:
        raise ValueError(f"{opts.label} has no column {unknown}")
    defaults = []
    for field in opts.concrete_fields:
        if field.attname in fields or (field.primary_key and getattr(field, "db_returning", False)):
            continue  # named, or an auto-incremented key the database fills
        if (field.has_default() and callable(field.default)) or getattr(
            field, "auto_now_add", False
        ):
            raise ValueError(f"{opts.label}.{field.attname} has a per-row default: name it")
        defaults.append((field, field.get_db_prep_save(field.get_default(), connections[using])))
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = [by_attname[name].column for name in fields] + [f.column for f, _v in defaults]
    default_values = tuple(value for _f, value in defaults)
    table_columns = "{} ({})".format(quote(opts.db_table), ", ".join(quote(c) for c in columns))
    width = len(fields)
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = itertools.chain([first], rows)

    def checked(rows: Iterable[Sequence]):
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{opts.label}: a row has {len(row)} values for {width}")
            yield (*row, *default_values)

    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk load: one stream instead of a statement per row.
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table_columns} FROM STDIN") as copy,
        ):
            for row in checked(rows):
                copy.write_row(row)
                count += 1
        return count
    sql = "INSERT INTO {} VALUES ({})".format(  # noqa: S608 - names from the model, quoted
        table_columns, ", ".join(["%s"] * len(columns))
    )
    count = 0
    pending: list[tuple] = []
    with connection.cursor() as cursor:
        for row in checked(rows):
            pending.append(row)
            if len(pending) >= batch:
                cursor.executemany(sql, pending)
                count += len(pending)
                pending = []
        if pending:
            cursor.executemany(sql, pending)
            count += len(pending)
    return count


def analyze(*models: type[Model], using: str = "default") -> None:
    """Refresh PostgreSQL's planner statistics of the models' tables after a bulk load.

    Autovacuum would get there within minutes; until then the planner takes a 35,000-row table for
    an empty one (sequential scans where an index answers). SQLite's planner keeps its own rules.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or not models:
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")  # table names from the models, quoted
