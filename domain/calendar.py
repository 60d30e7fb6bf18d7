"""Calendar arithmetic for legal deadlines: calendar months, days, and the Polish local date."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


def add_months(start: date, months: int) -> date:
    """Add calendar months; a missing day falls on the month's last (31 Jan + 1 = 28/29 Feb)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def add_days(start: date, days: int) -> date:
    """Add calendar days."""
    return start + timedelta(days=days)


def local_date(moment: datetime) -> date:
    """The date in Poland at a given moment; business dates are Polish dates."""
    return moment.astimezone(WARSAW).date()


def start_of_local_day(day: date) -> datetime:
    """The UTC moment at which a Polish calendar day begins; a deadline on `day` is reached then."""
    return datetime.combine(day, time.min, tzinfo=WARSAW).astimezone(UTC)
