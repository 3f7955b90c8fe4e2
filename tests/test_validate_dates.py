"""Date parsing and the Julian-to-Gregorian conversion behind the date rules."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tei_edition.dates import (
    DateError,
    Interval,
    julian_interval_to_gregorian,
    julian_to_gregorian,
    overlaps,
    parse_date,
)


@pytest.mark.parametrize("value", [
    "1917", "1917-10", "1917-10-25", "1917-10-25T21:45:00", "1917-10-25T21:45:00Z",
    "1917-10-25+03:00", "--10-25", "--10", "---25", "21:45:00", "-0044-03-15", "12345",
    "2000-02-29", "1917-10-25T24:00:00",
])
def test_w3c_forms_parse(value):
    parse_date(value)


@pytest.mark.parametrize("value", [
    "1917-02-30", "1900-02-29", "1917-13", "1917-00-10", "17", "1917/10/25", "25.10.1917",
    "1917-10-25T25:00:00", "0000", "1917-1-5", "October 1917", "", "1917-10-25T21:45",
])
def test_not_real_dates_are_refused(value):
    with pytest.raises(DateError):
        parse_date(value)


@pytest.mark.parametrize("value", ["1917-W44", "1917-298", "1917-10-25T21:45"])
def test_iso_forms_are_accepted_in_iso_attributes(value):
    parse_date(value, iso=True)
    with pytest.raises(DateError):
        parse_date(value)


def test_intervals():
    assert parse_date("1917") == Interval((1917, 1, 1), (1917, 12, 31), "year")
    assert parse_date("1916-02") == Interval((1916, 2, 1), (1916, 2, 29), "month")
    assert parse_date("1917-10-25T10:00:00").start == (1917, 10, 25)
    assert not parse_date("--10-25").comparable
    assert parse_date("-0044") .start < parse_date("0044").start


def test_julian_leap_day_exists_only_in_julian_calendar():
    parse_date("1900-02-29", julian=True)
    with pytest.raises(DateError):
        parse_date("1900-02-29")


@pytest.mark.parametrize(("julian", "gregorian"), [
    ((1582, 10, 5), (1582, 10, 15)),
    ((1700, 2, 28), (1700, 3, 10)),
    ((1700, 2, 29), (1700, 3, 11)),
    ((1800, 2, 28), (1800, 3, 11)),
    ((1883, 7, 6), (1883, 7, 18)),
    ((1900, 2, 28), (1900, 3, 12)),
    ((1900, 3, 1), (1900, 3, 14)),
    ((1917, 10, 25), (1917, 11, 7)),
    ((1918, 1, 31), (1918, 2, 13)),
    ((2100, 2, 28), (2100, 3, 13)),
])
def test_julian_to_gregorian_known_dates(julian, gregorian):
    assert julian_to_gregorian(julian) == gregorian


def _expected_difference(gregorian: datetime.date) -> int:
    # The rule the brief states, in terms of the Gregorian date.
    if gregorian < datetime.date(1700, 3, 11):
        return 10
    if gregorian < datetime.date(1800, 3, 12):
        return 11
    if gregorian < datetime.date(1900, 3, 13):
        return 12
    return 13


@given(st.dates(min_value=datetime.date(1582, 10, 5), max_value=datetime.date(2100, 2, 28)))
def test_julian_difference_follows_the_table(julian):
    # Every day the Julian calendar shares a label with the Gregorian one (all but the
    # Julian-only 29 Februaries, which the known-date test covers).
    converted = datetime.date(*julian_to_gregorian((julian.year, julian.month, julian.day)))
    assert (converted - julian).days == _expected_difference(converted)


def test_julian_month_and_year_precision():
    october = julian_interval_to_gregorian(parse_date("1917-10", julian=True))
    assert october.start == (1917, 10, 14) and october.end == (1917, 11, 13)
    assert overlaps(october, parse_date("1917-11"))
    assert overlaps(october, parse_date("1917-10"))
    assert not overlaps(october, parse_date("1917-12"))
    year = julian_interval_to_gregorian(parse_date("1917", julian=True))
    assert overlaps(year, parse_date("1918-01-10"))
    assert not overlaps(year, parse_date("1918-02"))
