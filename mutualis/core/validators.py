"""Plausible values, the same rules for forms, the API and imports: business dates within
2000-2100, text without NUL character (PostgreSQL refuses it) and of bounded length."""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import AfterValidator

EARLIEST_BUSINESS_DATE = date(2000, 1, 1)
LATEST_BUSINESS_DATE = date(2100, 12, 31)
# Longest text accepted in any single field, form or API (a programme file or a module is some
# tens of thousands of characters).
MAX_TEXT_LENGTH = 100_000


def date_problem(value: date) -> str | None:
    """A French sentence if the date is outside the plausible business range, else None."""
    if EARLIEST_BUSINESS_DATE <= value <= LATEST_BUSINESS_DATE:
        return None
    return _("la date %(value)s n'est pas plausible (attendue entre %(first)s et %(last)s).") % {
        "value": value.isoformat(),
        "first": date_format(EARLIEST_BUSINESS_DATE, "SHORT_DATE_FORMAT"),
        "last": date_format(LATEST_BUSINESS_DATE, "SHORT_DATE_FORMAT"),
    }


def validate_business_date(value: date) -> None:
    """A form field's validator: `forms.DateField(validators=[validate_business_date])`."""
    if problem := date_problem(value):
        raise ValidationError(problem[:1].upper() + problem[1:], code="implausible_date")


def _plausible_date(value: date) -> date:
    if problem := date_problem(value):
        raise ValueError(problem)
    return value


# A date an API caller sends: the same 2000-2100 rule, answered as a 422 naming the field.
BusinessDate = Annotated[date, AfterValidator(_plausible_date)]


def text_problem(value: str) -> str | None:
    """A French sentence if the text holds a NUL character or is too long, else None."""
    if "\x00" in value:
        return _("le texte contient un caractère nul (octet 0), refusé.")
    if len(value) > MAX_TEXT_LENGTH:
        return too_long(len(value))
    return None


def too_long(length: int) -> str:
    return _("le texte dépasse %(max)s caractères (%(length)s).") % {
        "max": MAX_TEXT_LENGTH,
        "length": length,
    }


def text_errors(value, loc: tuple = ()) -> list[dict]:
    """Every text problem in a decoded JSON value or a query dict, with where it is (`loc`, as
    the API's 422 answers say it)."""
    if isinstance(value, str):
        problem = text_problem(value)
        return [{"loc": list(loc), "msg": problem, "type": "text"}] if problem else []
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in text_errors(v, (*loc, k))]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in text_errors(v, (*loc, i))]
    return []
