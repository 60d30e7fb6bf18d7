"""Working days (domain/working_days.py): weekends and the holidays passed in do not count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.holidays import polish_holidays
from domain.working_days import add_working_days, is_working_day, working_days_after

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
spans = st.integers(min_value=0, max_value=800)
holiday_sets = st.frozensets(st.dates(min_value=date(2000, 1, 1), max_value=date(2103, 12, 31)))
PL = polish_holidays(2024, 2027)


def _walk(start: date, end: date, holidays: frozenset[date]) -> int:
    """The definition, day by day."""
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(n), holidays)
    )


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday -> Monday
        (date(2026, 11, 20), date(2026, 11, 25), 3),  # Friday -> Wednesday
        (date(2026, 11, 20), date(2026, 11, 22), 0),  # the weekend does not count
        (date(2026, 11, 10), date(2026, 11, 13), 2),  # 11 November, Independence Day
        (date(2026, 12, 23), date(2026, 12, 28), 1),  # Christmas Eve (since 2025) and Christmas
        (date(2026, 4, 3), date(2026, 4, 8), 2),  # Easter Monday
        (date(2026, 11, 25), date(2026, 11, 25), 0),  # due today: not overdue
        (date(2026, 11, 26), date(2026, 11, 25), 0),  # not due yet
    ],
)
def test_known_spans_in_poland(due: date, today: date, expected: int) -> None:
    assert working_days_after(due, today, PL) == expected


def test_polish_holidays_include_the_moving_and_the_new_ones() -> None:
    assert {date(2026, 4, 6), date(2026, 6, 4), date(2026, 12, 24), date(2026, 11, 11)} <= PL
    assert date(2026, 11, 12) not in PL


@given(days, spans, holiday_sets)
def test_counting_agrees_with_walking_day_by_day(
    start: date, span: int, holidays: frozenset[date]
) -> None:
    end = start + timedelta(span)
    assert working_days_after(start, end, holidays) == _walk(start, end, holidays)


@given(days, spans, spans, holiday_sets)
def test_spans_add_up(start: date, first: int, second: int, holidays: frozenset[date]) -> None:
    middle, end = start + timedelta(first), start + timedelta(first + second)
    assert working_days_after(start, end, holidays) == working_days_after(
        start, middle, holidays
    ) + working_days_after(middle, end, holidays)


@given(days, st.integers(min_value=0, max_value=120))
def test_a_week_without_holidays_has_five_working_days(start: date, weeks: int) -> None:
    assert working_days_after(start, start + timedelta(weeks * 7), frozenset()) == 5 * weeks


@given(days, spans, holiday_sets)
def test_never_more_than_calendar_days_nor_negative(
    start: date, span: int, holidays: frozenset[date]
) -> None:
    count = working_days_after(start, start + timedelta(span), holidays)
    assert 0 <= count <= span
    assert working_days_after(start + timedelta(span), start, holidays) == 0


@given(days, st.integers(min_value=0, max_value=300), holiday_sets)
def test_adding_working_days_is_the_inverse_of_counting(
    start: date, count: int, holidays: frozenset[date]
) -> None:
    end = add_working_days(start, count, holidays)
    assert working_days_after(start, end, holidays) == count
    # It lands on a working day, the first one that reaches the count.
    if count:
        assert is_working_day(end, holidays)
        assert working_days_after(start, end - timedelta(1), holidays) == count - 1


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1, frozenset())
