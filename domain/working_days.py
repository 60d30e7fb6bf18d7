"""Working days (dni robocze): Monday to Friday, less the public holidays the caller passes in.

The holiday calendar is a parameter, not a lookup, so the rule stays pure: the worker and the API
pass Poland's holidays (the `holidays` package, `core/holidays.py`), tests pass whatever they like.
"""

from __future__ import annotations

from collections.abc import Set
from datetime import date, timedelta

_SATURDAY = 5
_WEEK = 7
_WORKING_DAYS_A_WEEK = 5


def is_working_day(day: date, holidays: Set[date]) -> bool:
    """Whether a day is a working day: a weekday that is not a public holiday."""
    return day.weekday() < _SATURDAY and day not in holidays


def working_days_after(start: date, end: date, holidays: Set[date]) -> int:
    """Working days in (start, end]: how many working days `end` lies past `start` (0 if not past).

    A task due on Friday is 1 working day overdue on Monday and 3 on Wednesday.
    """
    if end <= start:
        return 0
    days = (end - start).days
    full_weeks, rest = divmod(days, _WEEK)
    count = full_weeks * _WORKING_DAYS_A_WEEK
    count += sum(
        1 for offset in range(1, rest + 1) if (start + timedelta(offset)).weekday() < _SATURDAY
    )
    # Holidays are few; counting those inside the span is cheaper than walking every day.
    count -= sum(1 for h in holidays if start < h <= end and h.weekday() < _SATURDAY)
    return count


def add_working_days(start: date, count: int, holidays: Set[date]) -> date:
    """The day `count` (≥ 0) working days after `start` (`start` itself when `count` is 0)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count -= 1
    return day
