"""French alphabetical order on every database: « Péchabou » before « Pouze », « Écoles » near « Ecully ».

`french("name")` is an ordering expression: on PostgreSQL the ICU collation `fr-x-icu` (shipped
with every ICU-enabled PostgreSQL), on SQLite the `french` collation that `register_sqlite` adds to
each new connection (SQLite compares bytes by default, and puts every accented letter after z).
Sort names with it everywhere: `queryset.order_by(french("name"))` or `by_name(queryset)`.
"""

import unicodedata

from django.db.models import F, QuerySet
from django.db.models.functions import Collate

POSTGRESQL_COLLATION = "fr-x-icu"
SQLITE_COLLATION = "french"


def sort_key(text: str) -> tuple[str, str]:
    """Letters without accents nor case first; the accented and capitalised forms break ties."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return base, text


def _compare(left: str, right: str) -> int:
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


class FrenchCollate(Collate):
    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation=SQLITE_COLLATION, **extra_context)


def french(field: str) -> FrenchCollate:
    return FrenchCollate(F(field))


def by_name(queryset: QuerySet, *fields: str) -> QuerySet:
    """`queryset` in French order of `fields` (default `name`)."""
    return queryset.order_by(*(french(field) for field in fields or ("name",)))


def register_sqlite(sender, connection, **kwargs) -> None:
    """connection_created receiver: teach each new SQLite connection the French order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
