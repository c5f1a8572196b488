"""The quick date filters write exactly what Django's `date` filter writes."""

import datetime

from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from mutualis.core.templatetags.quick_dates import short_date, short_datetime

DJANGO = Template('{{ v|date:"SHORT_DATE_FORMAT" }}|{{ w|date:"SHORT_DATETIME_FORMAT" }}')


@given(
    day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    moment=st.datetimes(
        min_value=datetime.datetime(1970, 1, 2), max_value=datetime.datetime(2100, 1, 1)
    ),
)
def test_same_text_as_the_date_filter(day, moment):
    moment = timezone.make_aware(moment, datetime.UTC)
    with translation.override("fr"):
        expected = DJANGO.render(Context({"v": day, "w": moment}))
        assert f"{short_date(day)}|{short_datetime(moment)}" == expected


def test_empty_values_give_empty_text():
    assert short_date(None) == "" and short_datetime("") == ""


def test_in_a_template():
    template = Template("{% load quick_dates %}{{ d|short_date }} {{ t|short_datetime }}")
    text = template.render(
        Context({"d": datetime.date(2024, 5, 4), "t": datetime.datetime(2024, 5, 4, 9, 5)})
    )
    assert text == "04/05/2024 04/05/2024 09:05"
