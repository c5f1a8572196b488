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

import datetime
from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import Model, QuerySet

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

    def __init__(self, build: Callable[..., QuerySet], placeholders: dict) -> None:
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

    def __init__(self, build: Callable[..., QuerySet], **placeholders) -> None:
        super().__init__(build, placeholders)

    def _queryset(self) -> QuerySet:
        return self.build(**self.placeholders).values("pk")

    def _finish(self, alias, queryset, compiler, sql):
        # The ORM's own SQL, its values bound as parameters: nothing of a caller's is interpolated.
        return (f"SELECT COUNT(*) FROM ({sql}) prepared_count",)  # noqa: S608

    def __call__(self, *, using: str = "default", **values) -> int:
        connection, bound, (count_sql,) = self._execute(using, values)
        with connection.cursor() as cursor:
            cursor.execute(count_sql, bound)
            return cursor.fetchone()[0]


class PreparedQuery(_Prepared):
    """The model instances a queryset returns, or `fields` of them (the others deferred).

    For plain querysets of one model: filters, ordering, slicing, annotations in the WHERE; not
    `select_related` or `prefetch_related` (the instances would come back without them).
    """

    def __init__(
        self, build: Callable[..., QuerySet], *, fields: Sequence[str] = (), **placeholders
    ) -> None:
        super().__init__(build, placeholders)
        self.fields = tuple(fields)

    def _queryset(self) -> QuerySet:
        queryset = self.build(**self.placeholders)
        if queryset.query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("a prepared query reads one model: no select_related or prefetch")
        opts = queryset.model._meta
        names = [f.attname for f in opts.concrete_fields]
        if self.fields:
            unknown = set(self.fields) - set(names)
            if unknown:
                raise ValueError(f"{opts.label} has no field {sorted(unknown)}")
            names = [name for name in names if name in self.fields]  # model order
        self._names = names
        return queryset.values_list(*names)

    def _finish(self, alias, queryset, compiler, sql):
        return (compiler, queryset.model, self._names)

    def rows(self, *, using: str = "default", **values) -> list[tuple]:
        """The rows as tuples of Python values (the ORM's converters applied)."""
        connection, bound, (compiler, _model, _names) = self._execute(using, values)
        with connection.cursor() as cursor:
            cursor.execute(self._compiled[using][0], bound)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    def __call__(self, *, using: str = "default", **values) -> list[Model]:
        rows = self.rows(using=using, **values)
        *_sql_params_slots, _compiler, model, names = self._compiled[using]
        return [model.from_db(using, names, row) for row in rows]

    def first(self, *, using: str = "default", **values) -> Model | None:
        """The first instance or None: give the queryset its ordering and `[:1]`."""
        found = self(using=using, **values)
        return found[0] if found else None
