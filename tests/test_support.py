"""The tests' own calendar (tests/support.py), across the boundaries where a test against the
real servers would meet them: the year's end, Epiphany, Christmas, Easter Monday, 29 February,
the month's ends and the weekends. Pure: no server, no clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.holidays import polish_holidays
from domain.pesel import parse_pesel
from domain.tasks import DEFAULT_TASK_POLICY, is_escalation_due
from domain.working_days import is_working_day, working_days_after
from tests.support import CALENDAR_BOUNDARIES, person, working_days_ago


@pytest.mark.parametrize("today", CALENDAR_BOUNDARIES, ids=str)
@pytest.mark.parametrize("count", [1, 3, 7])
def test_a_day_so_many_working_days_ago_is_exactly_that_late(today: date, count: int) -> None:
    holidays = polish_holidays(today.year - 1, today.year)
    due = working_days_ago(count, today)
    assert due < today
    assert working_days_after(due, today, holidays) == count
    # The latest such day: one day later is less late.
    assert working_days_after(due + timedelta(days=1), today, holidays) == count - 1


@pytest.mark.parametrize("today", CALENDAR_BOUNDARIES, ids=str)
def test_the_default_escalation_takes_exactly_its_working_days(today: date) -> None:
    """What test_tasks and test_digest_workflow rely on: a task due the last working day
    before is late but not escalated; one due the policy's number of working days ago is."""
    holidays = polish_holidays(today.year - 1, today.year)
    days = DEFAULT_TASK_POLICY.escalate_after_working_days
    assert not is_escalation_due(working_days_ago(1, today), today, DEFAULT_TASK_POLICY, holidays)
    assert not is_escalation_due(today - timedelta(days=1), today, DEFAULT_TASK_POLICY, holidays)
    due = working_days_ago(days, today)
    assert is_escalation_due(due, today, DEFAULT_TASK_POLICY, holidays)


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31)), st.integers(1, 20))
def test_any_day_of_the_year(today: date, count: int) -> None:
    holidays = polish_holidays(today.year - 1, today.year)
    due = working_days_ago(count, today)
    assert working_days_after(due, today, holidays) == count
    assert working_days_after(due + timedelta(days=1), today, holidays) == count - 1
    # The day after it is a working day: that is the first one it is late by.
    assert is_working_day(due + timedelta(days=1), holidays)


def test_a_count_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        working_days_ago(0, date(2026, 12, 3))


def test_the_pesels_person_makes_never_repeat_and_are_valid() -> None:
    made = [person()["pesel"] for _ in range(25_000)]  # across 2.5 days of serials
    assert len(set(made)) == len(made)
    born = {parse_pesel(p).birth_date for p in made}
    assert min(born) >= date(1960, 1, 1) and max(born) < date(2000, 1, 1)
