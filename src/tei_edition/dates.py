"""Dates: parse TEI's ISO 8601 / XML Schema date values, and convert Julian to Gregorian.

A date value is read as an ``Interval``: the first and the last day it can mean
(``1917`` is 1917-01-01 to 1917-12-31, ``1917-02`` is 1917-02-01 to 1917-02-28). Days are
``(year, month, day)`` tuples, which compare correctly for negative (BCE) years too, so no
``datetime`` is needed. Values without a year (``--10-25``, ``12:00:00``) parse but cannot be
compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

Day = tuple[int, int, int]

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"(?P<year>-?(?:[1-9][0-9]{4,}|[0-9]{4}))"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?"

# The XML Schema forms TEI's @when, @from, @to, @notBefore and @notAfter accept.
_W3C = [
    re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d)T(?:{_TIME}){_TZ}"),
    re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d){_TZ}"),
    re.compile(rf"{_YEAR}-(?P<month>\d\d){_TZ}"),
    re.compile(rf"{_YEAR}{_TZ}"),
    re.compile(rf"--(?P<month>\d\d)-(?P<day>\d\d){_TZ}"),
    re.compile(rf"--(?P<month>\d\d){_TZ}"),
    re.compile(rf"---(?P<day>\d\d){_TZ}"),
    re.compile(rf"(?:{_TIME}){_TZ}"),
]
# ISO 8601 adds, for the -iso attributes, times without seconds, week and ordinal dates, and
# the basic (no hyphen) calendar date.
_ISO_EXTRA = [
    re.compile(rf"{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d)T(?:[01]\d|2[0-3])(?::[0-5]\d)?{_TZ}"),
    re.compile(r"(?P<year>-?\d{4})(?P<month>\d\d)(?P<day>\d\d)"),
    re.compile(r"(?P<year>-?\d{4})-W(?P<week>\d\d)(?:-(?P<weekday>[1-7]))?"),
    re.compile(r"(?P<year>-?\d{4})-(?P<ordinal>\d{3})"),
    re.compile(r"(?:[01]\d|2[0-3])(?::[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?)?" + _TZ),
]


class DateError(ValueError):
    """A value that is not a real date; the message says what is wrong."""


@dataclass(frozen=True)
class Interval:
    """The days a date value can mean; ``None`` ends when the value has no year."""

    start: Day | None
    end: Day | None
    precision: str  # "day", "month", "year" or "none"

    @property
    def comparable(self) -> bool:
        return self.start is not None and self.end is not None


def is_leap(year: int, julian: bool = False) -> bool:
    """Leap year in the proleptic Gregorian (or, with ``julian``, Julian) calendar."""
    if julian:
        return year % 4 == 0
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int, julian: bool = False) -> int:
    if month == 2:
        return 29 if is_leap(year, julian) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_date(value: str, iso: bool = False, julian: bool = False) -> Interval:
    """Parse a TEI date value into an ``Interval``; raise ``DateError`` when it is not one.

    ``iso`` accepts the wider ISO 8601 forms of the ``-iso`` attributes; ``julian`` checks
    the day against the Julian calendar (1900-02-29 exists there).
    """
    result = _parse_cached(value, iso, julian)
    if isinstance(result, DateError):
        raise DateError(str(result))
    return result


@lru_cache(maxsize=4096)
def _parse_cached(value: str, iso: bool, julian: bool) -> Interval | DateError:
    # An edition repeats its dates (a birth year, a congress); errors are cached as values.
    try:
        return _parse(value, iso, julian)
    except DateError as exc:
        return exc


def _parse(value: str, iso: bool, julian: bool) -> Interval:
    text = value.strip()
    patterns = _W3C + (_ISO_EXTRA if iso else [])
    if not text.isascii():
        raise DateError(f"'{value}' is not an ISO 8601 date: write it with the digits 0-9")
    for pattern in patterns:
        match = pattern.fullmatch(text)
        if match:
            return _interval(match.groupdict(), value, julian)
    raise DateError(
        f"'{value}' is not an ISO 8601 date: write YYYY, YYYY-MM or YYYY-MM-DD "
        "(for example 1917-10-25), or a date and time such as 1917-10-25T21:45:00"
    )


def _interval(parts: dict, value: str, julian: bool) -> Interval:
    year = int(parts["year"]) if parts.get("year") else None
    month = int(parts["month"]) if parts.get("month") else None
    day = int(parts["day"]) if parts.get("day") else None
    if year == 0:
        raise DateError(f"'{value}': there is no year 0000 in XML Schema dates; 1 BCE is -0001")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{value}': there is no month {month:02d}")
    if day is not None:
        limit = days_in_month(year if year is not None else 2000, month or 1, julian)
        if not 1 <= day <= limit:
            where = f"{year}-{month:02d}" if year is not None else f"month {month:02d}"
            raise DateError(f"'{value}': {where} has only {limit} days")
    if parts.get("week") is not None:
        week = int(parts["week"])
        if not 1 <= week <= 53:
            raise DateError(f"'{value}': there is no week {week}")
        return Interval((year, 1, 1), (year, 12, 31), "year")
    if parts.get("ordinal") is not None:
        ordinal = int(parts["ordinal"])
        if not 1 <= ordinal <= (366 if is_leap(year, julian) else 365):
            raise DateError(f"'{value}': year {year} has no day {ordinal}")
        return Interval((year, 1, 1), (year, 12, 31), "year")
    if year is None:
        return Interval(None, None, "none")
    if month is None:
        return Interval((year, 1, 1), (year, 12, 31), "year")
    if day is None:
        return Interval((year, month, 1), (year, month, days_in_month(year, month, julian)),
                        "month")
    return Interval((year, month, day), (year, month, day), "day")


def _jdn_julian(day: Day) -> int:
    """Julian Day Number of a Julian-calendar date (astronomical years)."""
    y, m, d = day
    a = (14 - m) // 12
    y2 = y + 4800 - a
    m2 = m + 12 * a - 3
    return d + (153 * m2 + 2) // 5 + 365 * y2 + y2 // 4 - 32083


def _gregorian_from_jdn(jdn: int) -> Day:
    a = jdn + 32044
    b = (4 * a + 3) // 146097
    c = a - 146097 * b // 4
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return (year, month, day)


def _astronomical(year: int) -> int:
    # XML Schema 1.0 has no year 0: -0001 is 1 BCE, which astronomers number 0.
    return year + 1 if year < 0 else year


def _from_astronomical(year: int) -> int:
    return year - 1 if year <= 0 else year


def julian_to_gregorian(day: Day) -> Day:
    """The Gregorian date of a Julian (Old Style) date: 1917-10-25 O.S. is 1917-11-07 N.S."""
    y, m, d = day
    g = _gregorian_from_jdn(_jdn_julian((_astronomical(y), m, d)))
    return (_from_astronomical(g[0]), g[1], g[2])


def julian_interval_to_gregorian(interval: Interval) -> Interval:
    """The Gregorian days a Julian-calendar interval covers."""
    if not interval.comparable:
        return interval
    return Interval(
        julian_to_gregorian(interval.start), julian_to_gregorian(interval.end), interval.precision
    )


def overlaps(a: Interval, b: Interval) -> bool:
    """True when the two intervals share a day (or when either cannot be compared)."""
    if not (a.comparable and b.comparable):
        return True
    return a.start <= b.end and b.start <= a.end


def format_day(day: Day) -> str:
    y, m, d = day
    sign = "-" if y < 0 else ""
    return f"{sign}{abs(y):04d}-{m:02d}-{d:02d}"


def describe(interval: Interval) -> str:
    """A readable form of an interval: one day, or 'from … to …'."""
    if not interval.comparable:
        return "a date without a year"
    if interval.start == interval.end:
        return format_day(interval.start)
    return f"{format_day(interval.start)} to {format_day(interval.end)}"
