"""Working days in England: Monday to Friday, less the bank holidays.

The bank holidays come from the `holidays` package (England's calendar, with the substitute
days when Christmas, Boxing Day or New Year's Day fall at a weekend, and the one-off days
such as the royal wedding of 29 April 2011), so a due date counted in working days skips
them as an official in a department would.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TypeVar

import holidays

# A date, or a datetime whose calendar day is what counts; callers get back what they gave.
D = TypeVar("D", dt.date, dt.datetime)

_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def is_bank_holiday(day: dt.date) -> bool:
    day = _day(day)
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a bank holiday in England."""
    return _day(day).weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: D, days: int) -> D:
    """The day `days` working days after `start` (counting from the day after it): one
    working day after a Friday is the Monday, or the Tuesday when the Monday is a bank
    holiday. Zero days gives `start` back unchanged."""
    current = start
    while days > 0:
        current += _ONE_DAY
        if is_working_day(current):
            days -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` (exclusive) to `end` (inclusive); nought when `end` is not
    after `start`."""
    days, current = 0, _day(start)
    end = _day(end)
    while current < end:
        current += _ONE_DAY
        days += is_working_day(current)
    return days
