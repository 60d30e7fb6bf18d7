"""Poland's public holidays, as the act on days free from work lists them.

Ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od pracy, art. 1 pkt 1: Epiphany since 2011
(Dz.U. 2010 nr 224 poz. 1459) and Christmas Eve since 2025 (Dz.U. 2024 poz. 1965). Pure, so the
domain's rules (working days, sick-leave spells, quiet hours) can use it; a change of the list is
a change of law and goes behind `workflow.patched` where a workflow's decisions depend on it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

_EPIPHANY_SINCE = 2011
_CHRISTMAS_EVE_SINCE = 2025
# Days made holidays once by an act of their own.
_ONE_OFF = frozenset({date(2018, 11, 12)})  # centenary of independence, Dz.U. 2018 poz. 2024


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def holidays_of(year: int) -> frozenset[date]:
    """The public holidays of one year (Sundays are days off too, but not listed here)."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1),
        easter,
        easter + timedelta(days=1),  # Easter Monday
        date(year, 5, 1),
        date(year, 5, 3),
        easter + timedelta(days=49),  # Pentecost Sunday
        easter + timedelta(days=60),  # Corpus Christi
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
        date(year, 12, 26),
    }
    if year >= _EPIPHANY_SINCE:
        days.add(date(year, 1, 6))
    if year >= _CHRISTMAS_EVE_SINCE:
        days.add(date(year, 12, 24))
    return frozenset(days | {d for d in _ONE_OFF if d.year == year})


def holidays_between(first: date, last: date) -> frozenset[date]:
    """The public holidays from `first` to `last` (inclusive of their years)."""
    days: frozenset[date] = frozenset()
    for year in range(first.year, last.year + 1):
        days |= holidays_of(year)
    return days


def is_day_off(day: date) -> bool:
    """A Saturday, a Sunday or a public holiday: no activities in the centre that day."""
    return day.weekday() >= 5 or day in holidays_of(day.year)
