"""Counts that pages run on every view, written to SQL by the ORM once per process.

Building a query with the ORM (filters, subqueries, expressions) costs more than running it: the
dashboards' « À suivre » counts took longer to build than to run. `PreparedCount` asks the ORM for
the SQL once per database, with placeholder values where the parameters go, and afterwards only
binds the real values. The SQL is always the ORM's own: no query is written by hand.

    overdue = PreparedCount(lambda today: Call.objects.overdue(today), today=DATE_PLACEHOLDER)
    overdue(today=timezone.localdate())  # -> int
"""

import datetime
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# Values no real parameter takes: a date before any programme, an id no row has.
DATE_PLACEHOLDER = datetime.date(1901, 2, 3)
ID_PLACEHOLDER = -7_654_321


class PreparedCount:
    def __init__(self, build: Callable[..., QuerySet], **placeholders) -> None:
        self.build = build
        self.placeholders = placeholders
        self._compiled: dict[str, tuple[str, list, list[tuple[int, str, bool]]]] = {}

    def _compile(self, alias: str):
        queryset = self.build(**self.placeholders).values("pk")
        sql, params = queryset.query.get_compiler(alias).as_sql()
        params = list(params)
        slots = []  # (index in params, placeholder name, bound as text)
        for index, param in enumerate(params):
            for name, placeholder in self.placeholders.items():
                if param == placeholder:
                    slots.append((index, name, False))
                elif isinstance(param, str) and param == str(placeholder):
                    slots.append((index, name, True))
        missing = set(self.placeholders) - {name for _index, name, _text in slots}
        if missing:
            raise ValueError(f"placeholders not found in the compiled query: {sorted(missing)}")
        # The ORM's own SQL, its values bound as parameters: nothing of a caller's is interpolated.
        return f"SELECT COUNT(*) FROM ({sql}) prepared_count", params, slots  # noqa: S608

    def __call__(self, *, using: str = "default", **values) -> int:
        if set(values) != set(self.placeholders):
            raise TypeError(f"expected values for {sorted(self.placeholders)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, params, slots = compiled
        bound = list(params)
        for index, name, as_text in slots:
            bound[index] = str(values[name]) if as_text else values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, bound)
            return cursor.fetchone()[0]
