"""Working time for support targets: French public holidays and a working-hours calculator.

Pure Python, no Django; the holidays come from the `holidays` package. The programme file's
`[support]` section gives the working days (ISO weekday numbers, 1 = Monday), the working hours
as consecutive start/end pairs (["08:30", "12:00", "13:30", "17:30"] is a morning and an
afternoon) and the holiday country.
Times are local wall-clock times (naive datetimes in the programme's time zone): the working day
never straddles a daylight-saving change, which happens at night.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

import holidays

MESSAGES = {
    "odd_hours": "les horaires de travail (working_hours) vont par paires début/fin "
    "(valeurs lues : {count})",
    "bad_time": "horaire de travail invalide : {value!r} (HH:MM attendu)",
    "unordered": "les horaires de travail doivent se suivre dans l'ordre : {start} puis {end}",
    "no_days": "aucun jour ouvré (working_days) : au moins un jour de 1 (lundi) à 7 (dimanche)",
    "bad_day": "jour ouvré invalide : {value} (1 = lundi … 7 = dimanche)",
    "country": "jours fériés : seul le calendrier français (FR) est connu, pas {country!r}",
}


@lru_cache(maxsize=256)
def french_holidays(year: int) -> dict[date, str]:
    """The public holidays of metropolitan France (Code du travail, L3133-1) in a year, named in
    French, from the `holidays` package (which also knows their history: no Whit Monday in
    2005-2007, the « journée de solidarité »; it has no dates after 2100).

    Metropolitan only: Alsace-Moselle's two extra days (Good Friday, 26 December) and the
    overseas departments' abolition-of-slavery days are not included — the Sicoval is not there,
    and a programme elsewhere would name its own calendar. Two holidays on the same day (Ascension
    on 1 or 8 May, as in 2008 and 2029) are one day with both names.
    """
    return dict(sorted(holidays.France(years=year, language="fr").items()))


def _parse_time(value: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise ValueError(MESSAGES["bad_time"].format(value=value)) from error


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days, daily working slots and public holidays."""

    working_days: frozenset[int]
    slots: tuple[tuple[time, time], ...]
    country: str = "FR"
    _seconds_per_day: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        if not self.working_days:
            raise ValueError(MESSAGES["no_days"])
        for day in self.working_days:
            if not 1 <= day <= 7:
                raise ValueError(MESSAGES["bad_day"].format(value=day))
        if self.country != "FR":
            raise ValueError(MESSAGES["country"].format(country=self.country))
        previous: time | None = None
        for start, end in self.slots:
            if not start < end:
                raise ValueError(MESSAGES["unordered"].format(start=_hhmm(start), end=_hhmm(end)))
            if previous is not None and start < previous:
                raise ValueError(
                    MESSAGES["unordered"].format(start=_hhmm(previous), end=_hhmm(start))
                )
            previous = end
        if not self.slots:
            raise ValueError(MESSAGES["odd_hours"].format(count=0))
        total = sum(_seconds(s, e) for s, e in self.slots)
        object.__setattr__(self, "_seconds_per_day", total)

    @classmethod
    def from_settings(
        cls, *, working_days: Iterable[int], working_hours: list[str], country: str = "FR"
    ) -> "WorkingCalendar":
        """Build from the programme file's values; a wrong value raises ValueError (French)."""
        if len(working_hours) % 2 or not working_hours:
            raise ValueError(MESSAGES["odd_hours"].format(count=len(working_hours)))
        times = [_parse_time(v) for v in working_hours]
        slots = tuple(zip(times[::2], times[1::2], strict=True))
        return cls(working_days=frozenset(working_days), slots=slots, country=country)

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self.working_days and day not in french_holidays(day.year)

    def _segments(self, day: date):
        for start, end in self.slots:
            yield datetime.combine(day, start), datetime.combine(day, end)


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _seconds(start: time, end: time) -> int:
    return (end.hour * 3600 + end.minute * 60) - (start.hour * 3600 + start.minute * 60)


def working_seconds_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> int:
    """Working seconds from start to end (0 when end is not after start)."""
    start, end = start.replace(microsecond=0), end.replace(microsecond=0)
    if end <= start:
        return 0
    total = 0
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            if start.date() < day < end.date():
                total += calendar._seconds_per_day  # a whole day in between: no clipping
            else:
                for seg_start, seg_end in calendar._segments(day):
                    lo, hi = max(seg_start, start), min(seg_end, end)
                    if hi > lo:
                        total += int((hi - lo).total_seconds())
        day += timedelta(days=1)
    return total


def working_hours_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> Decimal:
    """Working hours from start to end, to the second, as a Decimal."""
    return Decimal(working_seconds_between(start, end, calendar)) / 3600


def add_working_seconds(start: datetime, seconds: int, calendar: WorkingCalendar) -> datetime:
    """The moment when `seconds` working seconds have passed since start.

    Zero gives start itself. A target reached exactly at the end of a slot is that end (12:00),
    not the start of the next slot: "by noon" is what people say.
    """
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    if seconds == 0:
        return start
    start = start.replace(microsecond=0)
    remaining = seconds
    day = start.date()
    while True:
        if calendar.is_working_day(day):
            if day > start.date() and remaining > calendar._seconds_per_day:
                remaining -= calendar._seconds_per_day  # skip a whole day at once
            else:
                for seg_start, seg_end in calendar._segments(day):
                    lo = max(seg_start, start)
                    if seg_end <= lo:
                        continue
                    available = int((seg_end - lo).total_seconds())
                    if remaining <= available:
                        return lo + timedelta(seconds=remaining)
                    remaining -= available
        day += timedelta(days=1)


def add_working_hours(start: datetime, hours: Decimal | int, calendar: WorkingCalendar) -> datetime:
    """The moment when `hours` working hours have passed since start (rounded to the second)."""
    seconds = int((Decimal(hours) * 3600).to_integral_value())
    return add_working_seconds(start, seconds, calendar)
