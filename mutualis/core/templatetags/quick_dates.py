"""`short_date` and `short_datetime`: the `date:"SHORT_DATE_FORMAT"` filters, for long tables.

Django's `date` filter reads the format, builds a formatter and walks the format string for every
value: on a page with dozens of dates it costs more than the page's queries. These filters turn the
active language's SHORT_DATE_FORMAT / SHORT_DATETIME_FORMAT into a `strftime` pattern once and
give the same text (tested against the `date` filter).
"""

import datetime
from functools import cache

from django import template
from django.utils import timezone, translation
from django.utils.formats import get_format

register = template.Library()

# Django format characters these filters translate; any other makes them fall back to Django.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


@cache
def _pattern(format_name: str, language: str) -> str | None:
    pattern = []
    for char in get_format(format_name, lang=language):
        if char in _STRFTIME:
            pattern.append(_STRFTIME[char])
        elif char.isalpha() or char == "\\":
            return None  # a format character we do not translate: Django does it
        else:
            pattern.append(char.replace("%", "%%"))
    return "".join(pattern)


def _format(value, format_name: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = _pattern(format_name, translation.get_language() or "fr")
    if pattern is None:
        from django.utils.formats import date_format

        return date_format(value, format_name)
    return value.strftime(pattern)


@register.filter
def short_date(value) -> str:
    return _format(value, "SHORT_DATE_FORMAT")


@register.filter
def short_datetime(value) -> str:
    return _format(value, "SHORT_DATETIME_FORMAT")
