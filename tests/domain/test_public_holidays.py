"""Poland's public holidays as the act lists them (domain/public_holidays.py)."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from domain.public_holidays import easter_sunday, holidays_of, is_day_off


@pytest.mark.parametrize("year", range(2003, 2061))
def test_the_act_agrees_with_the_holidays_package(year: int) -> None:
    assert holidays_of(year) == frozenset(holidays.country_holidays("PL", years=year))


def test_easter_and_the_feasts_that_follow_it() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
    ]
    assert {date(2026, 5, 24), date(2026, 6, 4)} <= holidays_of(2026)  # Pentecost, Corpus Christi


def test_christmas_eve_since_2025_and_epiphany_since_2011() -> None:
    assert date(2024, 12, 24) not in holidays_of(2024)
    assert date(2025, 12, 24) in holidays_of(2025)
    assert date(2010, 1, 6) not in holidays_of(2010)
    assert date(2011, 1, 6) in holidays_of(2011)


def test_weekends_and_holidays_are_days_off() -> None:
    assert is_day_off(date(2026, 12, 5)) and is_day_off(date(2026, 12, 6))  # Sat, Sun
    assert is_day_off(date(2026, 11, 11)) and not is_day_off(date(2026, 11, 12))
