"""No two modules of the package import each other, directly or in a circle.

The graph is grimp's (import-linter's own reader), which counts every import statement of a module,
those inside functions too: a circle hidden in a function still fails here.
"""

import grimp


def import_cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another (strongly connected components of more than
    one module, Tarjan's algorithm without recursion), each group sorted."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        index[root] = lowest[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(imports.get(root, ()))))]
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = lowest[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(sorted(imports.get(imported, ())))))
                    break
                if imported in on_stack:
                    lowest[module] = min(lowest[module], index[imported])
            else:
                work.pop()
                if work:
                    importer = work[-1][0]
                    lowest[importer] = min(lowest[importer], lowest[module])
                if lowest[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
    return sorted(cycles)


def _describe(cycle: list[str], imports: dict[str, set[str]]) -> str:
    members = set(cycle)
    edges = [f"    {a} -> {b}" for a in cycle for b in sorted(imports[a] & members)]
    return "\n".join([", ".join(cycle), *edges])


def test_no_two_modules_of_the_package_import_each_other():
    graph = grimp.build_graph("mutualis", cache_dir=None)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    cycles = import_cycles(imports)
    assert not cycles, "Modules that import each other:\n" + "\n".join(
        _describe(cycle, imports) for cycle in cycles
    )


def test_a_circle_through_other_modules_is_found_and_named():
    imports = {
        "app.review": {"reviews.figures"},
        "reviews.figures": {"other.review", "core.figures"},
        "other.review": {"app.review"},
        "core.figures": set(),
        "reviews.views": {"reviews.figures"},
        "a": {"b"},
        "b": {"a"},
    }
    assert import_cycles(imports) == [
        ["a", "b"],
        ["app.review", "other.review", "reviews.figures"],
    ]


def test_imports_that_only_go_down_have_no_cycle():
    imports = {"reviews.figures": {"app.review", "core.figures"}, "app.review": {"core.figures"}}
    assert import_cycles(imports) == []
