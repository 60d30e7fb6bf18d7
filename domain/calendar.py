"""Calendar arithmetic for legal deadlines: periods in months, days, and the Polish local date."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")

# How a period of months is counted (art. 111-112 k.c.; domain.md §10 "periods"): the day of the
# event that starts it is not counted, and the period ends with the day that matches the start
# day by its date, or with the last day of the final month when that month has no such day.
# The ministry's reading (MRiPS): "a one-month trial starting on 1 January ends on 1 February".
# KIS and CIS periods alike: trial, participation, extensions, follow-up, six months of KIS,
# the employer's commitment in supported employment.
PERIOD_CONVENTION = (
    "art. 112 k.c.: an n-month period starting on day D ends on the day of the n-th month that "
    "matches D by its date, else on that month's last day (1 Jan + 1 month ends on 1 Feb; "
    "31 Jan + 1 month ends on 28/29 Feb)"
)


def add_months(start: date, months: int) -> date:
    """Add calendar months; a missing day falls on the month's last (31 Jan + 1 = 28/29 Feb)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def period_end(start: date, months: int) -> date:
    """The last day of an n-month period that starts on `start` (PERIOD_CONVENTION)."""
    return add_months(start, months)


def add_days(start: date, days: int) -> date:
    """Add calendar days."""
    return start + timedelta(days=days)


def local_date(moment: datetime) -> date:
    """The date in Poland at a given moment; business dates are Polish dates."""
    return moment.astimezone(WARSAW).date()


def start_of_local_day(day: date) -> datetime:
    """The UTC moment at which a Polish calendar day begins; a deadline on `day` is reached then."""
    return datetime.combine(day, time.min, tzinfo=WARSAW).astimezone(UTC)
