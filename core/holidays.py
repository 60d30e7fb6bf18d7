"""Poland's public holidays (ustawa o dniach wolnych od pracy), from the `holidays` package."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _year(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("PL", years=year))


def polish_holidays(first_year: int, last_year: int | None = None) -> frozenset[date]:
    """Polish public holidays of the years from `first_year` to `last_year` (inclusive)."""
    last = first_year if last_year is None else last_year
    days: frozenset[date] = frozenset()
    for year in range(first_year, last + 1):
        days |= _year(year)
    return days
