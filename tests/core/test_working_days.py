"""Working days skip weekends and England's bank holidays, substitute days and one-off days
included. Every expected date below is read from the official list of bank holidays in
England and Wales, not from the code under test."""

import datetime as dt

import pytest

from core.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

D = dt.date

# The bank holidays of England and Wales, as published for each year.
BANK_HOLIDAYS = {
    2008: [
        D(2008, 1, 1),  # New Year's Day
        D(2008, 3, 21),  # Good Friday
        D(2008, 3, 24),  # Easter Monday
        D(2008, 5, 5),  # Early May bank holiday
        D(2008, 5, 26),  # Spring bank holiday
        D(2008, 8, 25),  # Summer bank holiday
        D(2008, 12, 25),  # Christmas Day (Thursday)
        D(2008, 12, 26),  # Boxing Day (Friday)
    ],
    2009: [
        D(2009, 1, 1),
        D(2009, 4, 10),  # Good Friday
        D(2009, 4, 13),  # Easter Monday
        D(2009, 5, 4),
        D(2009, 5, 25),
        D(2009, 8, 31),
        D(2009, 12, 25),  # Christmas Day (Friday)
        D(2009, 12, 28),  # Boxing Day fell on a Saturday: substitute Monday
    ],
    2010: [
        D(2010, 1, 1),
        D(2010, 4, 2),  # Good Friday
        D(2010, 4, 5),  # Easter Monday
        D(2010, 5, 3),
        D(2010, 5, 31),
        D(2010, 8, 30),
        D(2010, 12, 27),  # Christmas Day fell on a Saturday: substitute Monday
        D(2010, 12, 28),  # Boxing Day fell on a Sunday: substitute Tuesday
    ],
    2011: [
        D(2011, 1, 3),  # New Year's Day fell on a Saturday: substitute Monday
        D(2011, 4, 22),  # Good Friday
        D(2011, 4, 25),  # Easter Monday
        D(2011, 4, 29),  # Royal wedding, a one-off bank holiday
        D(2011, 5, 2),
        D(2011, 5, 30),
        D(2011, 8, 29),
        D(2011, 12, 26),  # Christmas Day fell on a Sunday: substitute Monday
        D(2011, 12, 27),  # Boxing Day substitute Tuesday
    ],
}


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_the_weekday_bank_holidays_of_each_year_are_the_official_ones(year):
    days = [D(year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    weekday_holidays = [
        day for day in days if day.year == year and day.weekday() < 5 and is_bank_holiday(day)
    ]
    assert weekday_holidays == BANK_HOLIDAYS[year]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2008, 3, 20), True),  # Maundy Thursday
        (D(2008, 3, 21), False),  # Good Friday
        (D(2008, 3, 24), False),  # Easter Monday
        (D(2008, 3, 25), True),
        (D(2008, 12, 24), True),  # Christmas Eve is a working day
        (D(2008, 12, 25), False),
        (D(2008, 12, 26), False),
        (D(2008, 12, 27), False),  # Saturday
        (D(2008, 12, 29), True),
        (D(2009, 1, 1), False),
        (D(2009, 1, 2), True),
        (D(2009, 4, 10), False),
        (D(2009, 4, 13), False),
        (D(2009, 12, 28), False),  # substitute for Boxing Day
        (D(2009, 12, 29), True),
        (D(2010, 1, 1), False),
        (D(2010, 4, 2), False),
        (D(2010, 4, 5), False),
        (D(2010, 12, 24), True),
        (D(2010, 12, 25), False),  # Saturday
        (D(2010, 12, 27), False),  # substitute for Christmas Day
        (D(2010, 12, 28), False),  # substitute for Boxing Day
        (D(2010, 12, 29), True),
        (D(2011, 1, 3), False),  # substitute for New Year's Day
        (D(2011, 1, 4), True),
        (D(2011, 4, 22), False),
        (D(2011, 4, 25), False),
        (D(2011, 4, 26), True),
        (D(2011, 4, 29), False),  # royal wedding
        (D(2011, 5, 2), False),
        (D(2011, 12, 27), False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Weekends only.
        (D(2008, 2, 1), 1, D(2008, 2, 4)),
        (D(2008, 2, 1), 15, D(2008, 2, 22)),
        # Easter 2008: Good Friday 21 March, Easter Monday 24 March.
        (D(2008, 3, 20), 1, D(2008, 3, 25)),
        (D(2008, 3, 19), 3, D(2008, 3, 26)),
        # Christmas 2008 and New Year 2009.
        (D(2008, 12, 24), 1, D(2008, 12, 29)),
        (D(2008, 12, 19), 15, D(2009, 1, 14)),
        (D(2008, 12, 31), 1, D(2009, 1, 2)),
        # Easter 2009: 10 and 13 April.
        (D(2009, 4, 9), 1, D(2009, 4, 14)),
        # Christmas 2009: Boxing Day's substitute on Monday 28 December; New Year on a Friday.
        (D(2009, 12, 24), 1, D(2009, 12, 29)),
        (D(2009, 12, 24), 4, D(2010, 1, 4)),
        # Easter 2010: 2 and 5 April.
        (D(2010, 4, 1), 1, D(2010, 4, 6)),
        # Christmas 2010 on a Saturday: substitutes Monday 27 and Tuesday 28 December, then
        # New Year's Day 2011 on a Saturday: substitute Monday 3 January.
        (D(2010, 12, 24), 1, D(2010, 12, 29)),
        (D(2010, 12, 24), 5, D(2011, 1, 5)),
        # Easter 2011 (22 and 25 April), the royal wedding (29 April) and May Day (2 May).
        (D(2011, 4, 21), 1, D(2011, 4, 26)),
        (D(2011, 4, 21), 5, D(2011, 5, 4)),
        (D(2011, 4, 28), 1, D(2011, 5, 3)),
        # Christmas 2011 on a Sunday: substitutes Monday 26 and Tuesday 27 December.
        (D(2011, 12, 23), 1, D(2011, 12, 28)),
        # Nought working days: the start, even on a holiday.
        (D(2010, 12, 25), 0, D(2010, 12, 25)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_add_working_days_keeps_the_time_of_a_datetime():
    start = dt.datetime(2008, 12, 24, 9, 30)
    assert add_working_days(start, 1) == dt.datetime(2008, 12, 29, 9, 30)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2008, 2, 1), D(2008, 2, 8), 5),
        # 21 and 24 March 2008 are bank holidays: 25, 26 and 27 March count.
        (D(2008, 3, 20), D(2008, 3, 27), 3),
        # 22, 23, 24, 29, 30, 31 December 2008 and 2 January 2009.
        (D(2008, 12, 19), D(2009, 1, 2), 7),
        # 29, 30, 31 December 2009 and 4 January 2010.
        (D(2009, 12, 24), D(2010, 1, 4), 4),
        # 13 April 2009 is Easter Monday: only the 14th counts.
        (D(2009, 4, 10), D(2009, 4, 14), 1),
        # 6, 7 and 8 April 2010.
        (D(2010, 4, 1), D(2010, 4, 8), 3),
        # 29, 30 and 31 December 2010.
        (D(2010, 12, 24), D(2010, 12, 31), 3),
        # 26, 27, 28 April and 3, 4, 5, 6 May 2011.
        (D(2011, 4, 21), D(2011, 5, 6), 7),
        # The same day, or an end before the start: nothing.
        (D(2011, 4, 21), D(2011, 4, 21), 0),
        (D(2011, 5, 6), D(2011, 4, 21), 0),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected
