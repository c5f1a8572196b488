"""The programme file's [support] and [purchasing] sections are checked on load."""

import pytest
from django.conf import settings

from mutualis.programme.schema import ProgrammeFileError, parse_programme

TEXT = settings.MUTUALIS_DEFAULT_PROGRAMME_FILE.read_text(encoding="utf-8")


def test_the_shipped_file_gives_the_calendar_targets_and_alert_window():
    spec = parse_programme(TEXT)
    assert spec.support.working_hours == ["08:30", "12:00", "13:30", "17:30"]
    assert spec.support.target("critical").response_hours == 2
    assert spec.purchasing.contract_alert_days == 30


@pytest.mark.parametrize(
    ("hours", "problem"),
    [
        ('["08:30", "12:00", "13:30"]', "par paires"),
        ('["12:00", "08:30"]', "dans l'ordre"),
        ('["08:30", "24:00"]', "HH:MM"),
    ],
)
def test_a_wrong_working_calendar_is_refused_on_load(hours, problem):
    text = TEXT.replace(
        'working_hours = ["08:30", "12:00", "13:30", "17:30"]', f"working_hours = {hours}"
    )
    with pytest.raises(ProgrammeFileError, match=problem):
        parse_programme(text)


def test_an_unknown_holiday_calendar_is_refused_on_load():
    with pytest.raises(ProgrammeFileError, match="holidays_country"):
        parse_programme(TEXT.replace('holidays_country = "FR"', 'holidays_country = "XX"'))
