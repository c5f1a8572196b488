"""French alphabetical order on every database: « Péchabou » before « Pouze », « Écoles » near « Ecully ».

`french("name")` is an ordering expression: on PostgreSQL the ICU collation `fr-x-icu` (shipped
with every ICU-enabled PostgreSQL), on SQLite a collation of the same name that `register_sqlite`
adds to each new connection (SQLite compares bytes by default, and puts every accented letter
after z). Indexes on `french("name")` keep sorted lists on an index.
Sort names with it everywhere: `queryset.order_by(french("name"))` or `by_name(queryset)`.
"""

import unicodedata
from functools import lru_cache

from django.db.models import F, QuerySet
from django.db.models.functions import Collate

# PostgreSQL's ICU collation; SQLite is taught one of the same name, so that one expression (and
# one index definition) serves both databases.
COLLATION = "fr-x-icu"


# SQLite calls the collation for every comparison (half a million to index France's names): the
# key of a name is computed once per process. A pure function of its argument, nothing to expire.
@lru_cache(maxsize=100_000)
def sort_key(text: str) -> tuple[str, str]:
    """Letters without accents nor case first; the accented and capitalised forms break ties."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return base, text


def _compare(left: str, right: str) -> int:
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def french(field: str) -> Collate:
    return Collate(F(field), COLLATION)


def by_name(queryset: QuerySet, *fields: str) -> QuerySet:
    """`queryset` in French order of `fields` (default `name`)."""
    return queryset.order_by(*(french(field) for field in fields or ("name",)))


def register_sqlite(sender, connection, **kwargs) -> None:
    """connection_created receiver: teach each new SQLite connection the French order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)
