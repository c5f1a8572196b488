"""Every date a form asks for is plausible (issue #20, item 4): a form of the package that asks
for a date refuses one outside 2000–2100 with a French message, as the API and imports do."""

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from django import forms

import mutualis
from mutualis.core.forms import BusinessDateField
from mutualis.core.validators import validate_business_date


def _form_classes():
    for info in pkgutil.walk_packages(mutualis.__path__, "mutualis."):
        if ".tests" in info.name or ".migrations" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__ == module.__name__
            ):
                yield obj


def test_every_date_field_of_every_form_checks_plausibility():
    unchecked = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField) and validate_business_date not in field.validators
    ]
    assert not unchecked, f"date fields that accept any date: {unchecked}"


def test_the_walk_finds_date_fields():
    """The walk above is not empty: it finds the payment form's date, among others."""
    names = {
        f"{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    }
    assert {"PaymentForm.paid_on", "AssetForm.purchase_date", "ContractForm.end_date"} <= names


@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2101-01-01"])
def test_an_implausible_date_is_a_french_form_error(value):
    field = BusinessDateField()
    with pytest.raises(forms.ValidationError) as error:
        field.clean(value)
    assert "n'est pas plausible" in error.value.messages[0]


def test_a_business_date_passes():
    assert BusinessDateField().clean("2025-12-31") == date(2025, 12, 31)


@pytest.mark.django_db
def test_an_asset_bought_in_year_one_is_refused_on_the_page(client, odars_manager):
    client.force_login(odars_manager)
    response = client.post(
        "/systeme-information/communes/31402/equipements/ajouter/",
        {"kind": "workstation", "name": "Poste accueil", "purchase_date": "0001-01-01"},
    )
    assert response.status_code == 200
    assert "n&#x27;est pas plausible" in response.content.decode()
