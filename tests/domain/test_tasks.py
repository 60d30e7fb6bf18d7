"""When a late task escalates (domain/tasks.py), and participants' initials."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.holidays import polish_holidays
from domain.tasks import (
    DEFAULT_TASK_POLICY,
    TaskPolicy,
    escalation_day,
    initials,
    is_escalation_due,
)

PL = polish_holidays(2025, 2028)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
policies = st.builds(TaskPolicy, escalate_after_working_days=st.integers(min_value=1, max_value=20))


def test_three_working_days_by_default_as_domain_md_says() -> None:
    assert DEFAULT_TASK_POLICY.escalate_after_working_days == 3
    # Due Monday 9 November 2026; the 11th is Independence Day: Friday, not Thursday.
    assert escalation_day(date(2026, 11, 9), DEFAULT_TASK_POLICY, PL) == date(2026, 11, 13)
    # Due on a Thursday: the weekend does not count, so Tuesday.
    assert escalation_day(date(2026, 11, 19), DEFAULT_TASK_POLICY, PL) == date(2026, 11, 24)


@given(days, policies)
def test_a_task_escalates_from_its_escalation_day_on_and_never_before(
    due: date, policy: TaskPolicy
) -> None:
    day = escalation_day(due, policy, PL)
    assert is_escalation_due(due, day, policy, PL)
    assert is_escalation_due(due, day + timedelta(days=7), policy, PL)
    assert not is_escalation_due(due, day - timedelta(days=1), policy, PL)
    assert day - due >= timedelta(days=policy.escalate_after_working_days)


def test_initials_of_first_and_last_word_only() -> None:
    assert initials("Jan Kowalski") == "J.K."
    assert initials("anna maria nowak-kowalska") == "A.N."
    assert initials("Ewa") == "E."
    assert initials("  ") == "?"
