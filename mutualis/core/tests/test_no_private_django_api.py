"""No private Django API in the package (migrations and tests aside): it breaks on the next Django
release. Read with `ast`, every finding named by file and line.

Flagged: any attribute reached through a queryset's `.query` (`query.where`, `query.add_q`,
`query.get_compiler`, `query.clear_ordering`…, the Query object is the ORM's inside); any
`_meta._x` attribute (`_meta.get_field`, `_meta.db_table` and the other documented Options stay
allowed); QuerySet and Query internals by name wherever they appear (`_clone`,
`_iterable_class`, `_result_cache`, `_prefetch_related_lookups`, `_fields`, `_db`, `_hints`…,
`get_compiler`); and any assignment to an `as_sql` attribute (a patched compiler).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

PRIVATE_NAMES = frozenset(
    {
        "get_compiler",
        "_clone",
        "_chain",
        "_iterable_class",
        "_result_cache",
        "_prefetch_related_lookups",
        "_prefetch_done",
        "_known_related_objects",
        "_fields",
        "_db",
        "_hints",
        "_for_write",
        "_sticky_filter",
        "_defer_next_filter",
        "_deferred_filter",
        "_query",
        "_filter_or_exclude",
        "_fetch_all",
        "_next_is_sticky",
    }
)


def private_api_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for each use of private Django API in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            owner = node.value
            dunder = node.attr.startswith("__")
            if node.attr in PRIVATE_NAMES:
                found.append((node.lineno, node.attr))
            elif isinstance(owner, ast.Attribute) and owner.attr == "query" and not dunder:
                found.append((node.lineno, f"query.{node.attr}"))
            elif (
                isinstance(owner, ast.Attribute)
                and owner.attr == "_meta"
                and node.attr.startswith("_")
                and not dunder
            ):
                found.append((node.lineno, f"_meta.{node.attr}"))
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "as_sql":
                found.append((target.lineno, "as_sql assigned"))
    return sorted(set(found))


def _package_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    )


def test_the_package_uses_no_private_django_api():
    modules = _package_modules()
    assert len(modules) > 100  # the package itself, not an empty folder
    findings = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
        for path in modules
        for line, what in private_api_uses(path.read_text(encoding="utf-8"))
    ]
    assert findings == []


# What the checker must catch: lines of the code issue 18 removed (queries compiled once per
# process, the programme's `current()`), and what it must let through.
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("compiler = queryset.query.get_compiler(alias)", [(1, "get_compiler")]),
        ("queryset.query.clear_ordering(force=False)", [(1, "query.clear_ordering")]),
        (
            "if self.query.where or self.query.is_sliced:\n    pass",
            [(1, "query.is_sliced"), (1, "query.where")],
        ),
        ("qs.query.add_q(Q(pk=1))", [(1, "query.add_q")]),
        ("clone = queryset._clone()", [(1, "_clone")]),
        ("clone._iterable_class = queryset._iterable_class", [(1, "_iterable_class")]),
        ("clone._db = using", [(1, "_db")]),
        ("bound.as_sql = lambda *args, **kwargs: (sql, params)", [(1, "as_sql assigned")]),
        ("fields = model._meta._forward_fields_map", [(1, "_meta._forward_fields_map")]),
        ("rows = qs._result_cache", [(1, "_result_cache")]),
        ("x = 1\nlookups = qs._prefetch_related_lookups", [(2, "_prefetch_related_lookups")]),
        ("table = model._meta.db_table", []),
        ("field = Commune._meta.get_field('name')", []),
        ("sql = str(queryset.query)", []),
        ("count = Commune.objects.filter(is_active=True).count()", []),
        ("self._commune_roles_cache = roles", []),
        ("sql, params = expression.as_sql(compiler, connection)", []),
    ],
)
def test_the_checker_names_each_private_use(source, expected):
    assert private_api_uses(source) == expected
