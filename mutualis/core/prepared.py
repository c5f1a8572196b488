"""Queries that pages run on every view, written to SQL by the ORM once per process.

Building a query with the ORM (filters, subqueries, expressions) costs more than running it: the
dashboards' « À suivre » counts took longer to build than to run, and the session, the signed-in
user and the programme in force are read on nearly every request. A prepared query asks the ORM for
the SQL once per database, with placeholder values where the parameters go, and afterwards only
binds the real values, adapted as the ORM adapts them. The SQL is always the ORM's own, and so are
the converters that turn the rows into Python values: no query is written by hand.

    overdue = PreparedCount(lambda today: Call.objects.overdue(today), today=DATE_PLACEHOLDER)
    overdue(today=timezone.localdate())  # -> int

    by_key = PreparedQuery(lambda key: Session.objects.filter(session_key=key), key=TEXT_PLACEHOLDER)
    by_key.first(key="abc")  # -> Session | None, as Session.objects.filter(...).first() would
"""

import copy
import datetime
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# Values no real parameter takes: a date before any programme, an id no row has, and so on.
DATE_PLACEHOLDER = datetime.date(1901, 2, 3)
DATETIME_PLACEHOLDER = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
ID_PLACEHOLDER = -7_654_321
TEXT_PLACEHOLDER = "\x00prepared-placeholder\x00"


def _adapt(connection, value):
    """A parameter as the ORM hands it to this database's driver (dates as text on SQLite…)."""
    ops = connection.ops
    if isinstance(value, datetime.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return ops.adapt_datefield_value(value)
    return value


class _Prepared:
    """The ORM's SQL for one queryset per database alias, with the slots where values go."""

    def __init__(self, build: Callable[..., QuerySet], **placeholders) -> None:
        self.build = build
        self.placeholders = placeholders
        self._compiled: dict[str, tuple] = {}

    def _queryset(self) -> QuerySet:
        raise NotImplementedError

    def _finish(self, alias: str, queryset: QuerySet, compiler, sql: str) -> tuple:
        raise NotImplementedError

    def _compile(self, alias: str) -> tuple:
        connection = connections[alias]
        queryset = self._queryset()
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []  # (index in params, placeholder name)
        adapted = {name: _adapt(connection, p) for name, p in self.placeholders.items()}
        if len({(type(v), v) for v in adapted.values()}) < len(adapted):
            # Two equal placeholders could not be told apart in the parameters: refuse, not guess.
            raise ValueError("placeholders must have distinct values (use ID_PLACEHOLDER - 1, …)")
        for index, param in enumerate(params):
            for name, placeholder in adapted.items():
                if type(param) is type(placeholder) and param == placeholder:
                    slots.append((index, name))
        missing = set(self.placeholders) - {name for _index, name in slots}
        if missing:
            raise ValueError(f"placeholders not found in the compiled query: {sorted(missing)}")
        return (sql, params, slots, *self._finish(alias, queryset, compiler, sql))

    def _execute(self, using: str, values: dict):
        if set(values) != set(self.placeholders):
            raise TypeError(f"expected values for {sorted(self.placeholders)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        _sql, params, slots, *rest = compiled
        connection = connections[using]
        bound = list(params)
        for index, name in slots:
            bound[index] = _adapt(connection, values[name])
        return connection, bound, rest


class PreparedCount(_Prepared):
    """The number of rows of a queryset: `SELECT COUNT(*)` around the ORM's own SQL."""

    def _queryset(self) -> QuerySet:
        queryset = self.build(**self.placeholders).values("pk")
        # As the queryset's own count(): its ordering dropped (SQLite sorted the rows it counted),
        # unless a slice or DISTINCT ON needs it.
        queryset.query.clear_ordering(force=False)
        return queryset

    def _finish(self, alias, queryset, compiler, sql):
        # The ORM's own SQL, its values bound as parameters: nothing of a caller's is interpolated.
        return (f"SELECT COUNT(*) FROM ({sql}) prepared_count",)  # noqa: S608

    def __call__(self, *, using: str = "default", **values) -> int:
        connection, bound, (count_sql,) = self._execute(using, values)
        with connection.cursor() as cursor:
            cursor.execute(count_sql, bound)
            return cursor.fetchone()[0]


class PreparedQuery(_Prepared):
    """What iterating a queryset returns (model instances, with their select_related objects and
    prefetches; or values), from SQL the ORM wrote once.

    The queryset's own iterable turns the rows into objects, as for any queryset: only the building
    of the SQL is skipped. Each call runs on a shallow copy of the compiler made once, its SQL and
    its values fixed, bound to the calling thread's connection.
    """

    def _queryset(self) -> QuerySet:
        return self.build(**self.placeholders)

    def _finish(self, alias, queryset, compiler, sql):
        return (queryset, compiler)

    def __call__(self, *, using: str = "default", **values) -> list:
        connection, bound, (queryset, compiler) = self._execute(using, values)
        sql, params = self._compiled[using][0], tuple(bound)
        bound_compiler = copy.copy(compiler)
        bound_compiler.connection = connection
        bound_compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = copy.copy(queryset.query)
        query.get_compiler = lambda using=None, connection=None, elide_empty=True: bound_compiler
        clone = queryset._clone()
        clone.query = query  # the setter picks an iterable class for values(): keep the queryset's
        clone._iterable_class = queryset._iterable_class
        clone._db = using
        return list(clone)

    def first(self, *, using: str = "default", **values):
        """The first object or None: give the queryset its ordering and `[:1]`."""
        found = self(using=using, **values)
        return found[0] if found else None
