"""Poland's public holidays for the worker and the read model: the domain's list of the act."""

from __future__ import annotations

from datetime import date

from domain.public_holidays import holidays_of


def polish_holidays(first_year: int, last_year: int | None = None) -> frozenset[date]:
    """Polish public holidays of the years from `first_year` to `last_year` (inclusive)."""
    last = first_year if last_year is None else last_year
    days: frozenset[date] = frozenset()
    for year in range(first_year, last + 1):
        days |= holidays_of(year)
    return days
