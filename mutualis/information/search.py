"""Full-text search of posts, documents and threads, the same on SQLite and PostgreSQL.

Each searchable record stores `search_text`, its French stems (see normalise.py). SQLite matches
it with an FTS5 table per model (`<table>_fts`, kept in step by `index`); PostgreSQL with its text
search over a GIN index, using the `simple` configuration because the French stemming is already
done — by the same Snowball algorithm as PostgreSQL's `french` configuration (a test checks that
they stem alike). Both match whole stems, every query stem required: the results are the same.
"""

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from mutualis.information.normalise import query_terms

SEARCHABLE = ("information_post", "information_document", "information_thread")


def index(obj: Model) -> None:
    """Bring the search index in step with `obj.search_text` (saved already)."""
    if connection.vendor != "sqlite":
        return  # PostgreSQL indexes the column itself
    table = obj._meta.db_table + "_fts"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [obj.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table}(rowid, search_text) VALUES (%s, %s)",  # noqa: S608
            [obj.pk, obj.search_text],
        )


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The records of `queryset` holding every stem of `query` (none for an empty query)."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    table = queryset.model._meta.db_table
    if table not in SEARCHABLE:
        raise ValueError(table)
    if connection.vendor == "sqlite":
        expression = " ".join(f'"{term}"' for term in terms)  # stems are [a-z0-9]+ only
        sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
    elif connection.vendor == "postgresql":
        expression = " ".join(terms)
        sql = (
            f"SELECT id FROM {table} WHERE to_tsvector('simple'::regconfig, search_text) "  # noqa: S608
            "@@ plainto_tsquery('simple'::regconfig, %s)"
        )
    else:
        raise NotImplementedError(connection.vendor)
    # The table name comes from SEARCHABLE and the query text is a bound parameter.
    return queryset.filter(pk__in=RawSQL(sql, [expression]))  # noqa: S611


def create_index_sql(vendor: str) -> list[str]:
    """The search structures of each database (used by the migration)."""
    if vendor == "sqlite":
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts USING fts5("
            "search_text, tokenize = 'unicode61 remove_diacritics 2')"
            for table in SEARCHABLE
        ]
    if vendor == "postgresql":
        return [
            f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
            for table in SEARCHABLE
        ]
    return []


def drop_index_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TABLE IF EXISTS {table}_fts" for table in SEARCHABLE]
    if vendor == "postgresql":
        return [f"DROP INDEX IF EXISTS {table}_search" for table in SEARCHABLE]
    return []


def rebuild(model: type[Model]) -> int:
    """Rebuild one model's SQLite index from the stored texts (after a table was rebuilt)."""
    count = 0
    for obj in model.objects.only("pk", "search_text").iterator():
        index(obj)
        count += 1
    return count
