"""Calendar months and the Polish local day (domain/calendar.py)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import add_months, local_date, start_of_local_day

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
month_counts = st.integers(min_value=-600, max_value=600)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2100, 1, 31), 1, date(2100, 2, 28)),
        (date(2000, 1, 31), 1, date(2000, 2, 29)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2023, 3, 31), 1, date(2023, 4, 30)),
        (date(2023, 12, 31), 6, date(2024, 6, 30)),
        (date(2023, 11, 15), 2, date(2024, 1, 15)),
        (date(2023, 2, 28), 1, date(2023, 3, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
    ],
)
def test_known_month_additions(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(days)
def test_adding_zero_months_changes_nothing(start: date) -> None:
    assert add_months(start, 0) == start


@given(days, month_counts)
def test_lands_in_the_month_n_months_later(start: date, months: int) -> None:
    result = add_months(start, months)
    start_index = start.year * 12 + start.month - 1
    assert result.year * 12 + result.month - 1 == start_index + months


@given(days, month_counts)
def test_keeps_the_day_or_falls_on_the_last_day(start: date, months: int) -> None:
    result = add_months(start, months)
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day <= start.day
    assert result.day <= last_day
    if result.day != start.day:
        assert result.day == last_day < start.day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 1, 15), datetime(2024, 1, 14, 23, 0, tzinfo=UTC)),
        (date(2024, 7, 15), datetime(2024, 7, 14, 22, 0, tzinfo=UTC)),
        # The days of the switch: the night before is still on the old offset.
        (date(2024, 3, 31), datetime(2024, 3, 30, 23, 0, tzinfo=UTC)),
        (date(2024, 4, 1), datetime(2024, 3, 31, 22, 0, tzinfo=UTC)),
        (date(2024, 10, 27), datetime(2024, 10, 26, 22, 0, tzinfo=UTC)),
        (date(2024, 10, 28), datetime(2024, 10, 27, 23, 0, tzinfo=UTC)),
    ],
)
def test_start_of_local_day_is_warsaw_midnight(day: date, expected: datetime) -> None:
    moment = start_of_local_day(day)
    assert moment == expected
    assert moment.utcoffset() is not None and moment.utcoffset() == expected.utcoffset()


def test_local_date_is_the_polish_date() -> None:
    assert local_date(datetime(2024, 1, 14, 22, 59, tzinfo=UTC)) == date(2024, 1, 14)
    assert local_date(datetime(2024, 1, 14, 23, 0, tzinfo=UTC)) == date(2024, 1, 15)
    assert local_date(datetime(2024, 7, 14, 22, 0, tzinfo=UTC)) == date(2024, 7, 15)


@given(days)
def test_the_local_day_begins_at_its_start(day: date) -> None:
    assert local_date(start_of_local_day(day)) == day
