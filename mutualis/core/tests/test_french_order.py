"""Every list sorted by a name follows French order, on SQLite and PostgreSQL (Péchabou before
Pechbusque and Pouze, accents and case ignored): run with DATABASE_URL for PostgreSQL too.

A byte order puts « Écoles » after « Zurich » and « abri » after « Zinc ». Two scans keep the
default and the explicit orderings French: every model's `Meta.ordering` and every
`order_by("…")` of the package that names a free-text field (a name, a title, a label…: a
CharField or TextField without choices; codes and slugs sort as they are) must go through
`core.collation.french()`. Then the orderings are checked on data, on the database of the run.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Collate

from mutualis.core.collation import COLLATION
from mutualis.territory.models import Commune

PACKAGE = Path(__file__).resolve().parents[2]
SHUFFLED = ["Pouze", "écoles", "Pechbusque", "Zurich", "Péchabou", "Ayguesvives", "Ecully"]
FRENCH = ["Ayguesvives", "écoles", "Ecully", "Péchabou", "Pechbusque", "Pouze", "Zurich"]


def _is_free_text(field) -> bool:
    """Words a person reads sorted: not a choice, a slug, a code, an id, a number or a version
    (« 2025-0003 », « 31402 », « M-BAK-01 » sort the same byte by byte and in French)."""
    return (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not isinstance(field, models.SlugField)
        and not field.name.endswith(("_code", "_id"))
        and field.name not in {"number", "version"}
    )


def _project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("mutualis.")]


def _plain_text_terms(model) -> list[str]:
    """The ordering terms of a model's Meta that sort a free-text field byte by byte."""
    found = []
    for term in model._meta.ordering:
        if isinstance(term, str) and "__" not in term and term.lstrip("-") != "pk":
            field = model._meta.get_field(term.lstrip("-"))
            if _is_free_text(field):
                found.append(term)
    return found


def _free_text_names() -> set[str]:
    return {
        field.name
        for model in _project_models()
        for field in model._meta.get_fields()
        if _is_free_text(field)
    }


def plain_order_by(source: str, names: set[str]) -> list[tuple[int, str]]:
    """(line, term) for each `order_by("…")` literal naming a free-text field."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "order_by":
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    last = arg.value.lstrip("-").split("__")[-1]
                    if last in names:
                        found.append((node.lineno, arg.value))
    return found


def test_no_model_orders_a_free_text_field_byte_by_byte():
    plain = {
        model.__name__: terms for model in _project_models() if (terms := _plain_text_terms(model))
    }
    assert not plain, f"use core.collation.french() in Meta.ordering: {plain}"


def test_the_scan_finds_a_plain_order_by():
    source = 'a = qs.order_by("-name", french("title"), "pk")\nb = qs.order_by("commune__name")'
    assert plain_order_by(source, {"name", "title"}) == [(1, "-name"), (2, "commune__name")]


def test_no_query_of_the_package_orders_a_free_text_field_byte_by_byte():
    names = _free_text_names()
    assert {"name", "title", "label", "subject", "full_name", "last_name"} <= names
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: order_by({term!r})"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(PACKAGE).parts)
        for line, term in plain_order_by(path.read_text(encoding="utf-8"), names)
    ]
    assert not found, "sort names with core.collation.french():\n" + "\n".join(found)


def _french_orderings() -> list[tuple[type[models.Model], str]]:
    return [
        (model, term.get_source_expressions()[0].name)
        for model in _project_models()
        for term in model._meta.ordering
        for term in [getattr(term, "expression", term)]  # a descending term wraps its collation
        if isinstance(term, Collate)
    ]


def test_every_french_ordering_reaches_the_sql(db):
    orderings = _french_orderings()
    assert len(orderings) >= 15
    missing = [
        f"{model.__name__}.{name}"
        for model, name in orderings
        if f'COLLATE "{COLLATION}"' not in str(model.objects.all().query)
    ]
    assert not missing


def _names(queryset, field="name") -> list[str]:
    return list(queryset.values_list(field, flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["Supplier", "Folder", "Feed", "Asset", "CrisisContact"])
def test_lists_by_name_come_in_french_order_on_this_database(model_name, odars):
    model = next(m for m in _project_models() if m.__name__ == model_name)
    extra = {
        "Asset": {"commune": odars, "kind": "workstation"},
        "CrisisContact": {"commune": odars, "function": "f", "call_for": "c", "phone": "1"},
    }.get(model_name, {})
    for name in SHUFFLED:
        model.objects.create(name=name, **extra)
    assert _names(model.objects.filter(name__in=SHUFFLED)) == FRENCH


def test_commune_order_ignores_accents_and_case(db):
    """The reference list (territory): « Péchabou » between « Odars » and « Pechbusque »."""
    names = ["Pouze", "Péchabou", "Pechbusque", "Odars"]
    assert _names(Commune.objects.filter(name__in=names)) == [
        "Odars",
        "Péchabou",
        "Pechbusque",
        "Pouze",
    ]
