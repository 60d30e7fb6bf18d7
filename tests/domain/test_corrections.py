"""Correcting a CIS day (domain/corrections.py): a new event; every rule reads the day's latest
mark. Dates are anchored; a correction is dated on the day it corrects, months after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.actions import ACTION_ADAPTER
from domain.attendance import week_hours
from domain.benefits import benefit_statement
from domain.day_marks import corrected_by, standing_marks
from domain.errors import Conflict, Forbidden, InvalidInput
from domain.pathway import DeadlineKind, PathwayState, StepRequest
from domain.payroll import day_counts, late_reason, missing_days
from domain.report_rows import ReportRow, fold
from domain.roles import Role
from domain.stages import Programme
from domain.steps import start_pathway, take_step

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
SUPERVISOR_STEPS = {"sign_ipzs", "pass_trial", "grant_day_off"}


def step(
    state: PathwayState, type_: str, on: date, role: Role | None = None, **fields: Any
) -> PathwayState:
    role = role or (Role.SUPERVISOR if type_ in SUPERVISOR_STEPS else Role.CASEWORKER)
    action = ACTION_ADAPTER.validate_python({"type": type_, "occurred_on": on, **fields})
    return take_step(state, StepRequest(action=action, actor="ewa", role=role), NOW)


def main_period() -> PathwayState:
    state = start_pathway("pw", "pt", Programme.CIS, date(2025, 1, 2), NOW)
    state = step(state, "sign_ipzs", date(2025, 1, 15))
    return step(state, "pass_trial", date(2025, 2, 10))


def working_days(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5]


# March 2025 has no public holiday on a weekday.
MARCH = working_days(date(2025, 3, 1), date(2025, 3, 31))


def march(sick_on: date | None, unexcused: tuple[date, ...] = ()) -> PathwayState:
    state = main_period()
    for day in MARCH:
        if day == sick_on:
            state = step(state, "record_absence", day, kind="sick")
        elif day in unexcused:
            state = step(state, "record_absence", day, kind="unexcused")
        else:
            state = step(state, "record_attendance", day, hours="6")
    return step(state, "record_attendance", date(2025, 4, 1), hours="6")


def correct(
    state: PathwayState, on: date, role: Role = Role.CASEWORKER, **mark: Any
) -> PathwayState:
    return step(state, "correct_day", on, role=role, reason="the list was wrong", **mark)


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(MARCH))
def test_a_sick_day_corrected_to_present_pays_as_a_present_day(day: date) -> None:
    present = march(None)
    corrected = correct(march(day), day, mark="present", hours="6")
    assert benefit_statement(corrected, 2025, 3) == benefit_statement(present, 2025, 3)
    assert benefit_statement(march(day), 2025, 3).deductions  # the sick day did cost
    # The earlier mark stays in the timeline, shown as corrected; the day stands present.
    sick = next(e for e in corrected.timeline if e.type == "record_absence")
    assert corrected_by(corrected.timeline) == {sick.seq: len(corrected.timeline)}
    assert [e.type for e in standing_marks(corrected.timeline) if e.occurred_on == day] == [
        "record_attendance"
    ]
    assert corrected.totals.attendance_days == present.totals.attendance_days
    assert day_counts(corrected.timeline, date(2025, 3, 1), date(2025, 3, 31)).sick_days == 0
    assert week_hours(corrected, day) == week_hours(present, day)


def test_a_present_day_corrected_to_sick_opens_a_spell_and_reduces_the_benefit() -> None:
    state = march(None)
    last = MARCH[-1]
    corrected = correct(state, last, mark="absent", absence="sick")
    assert benefit_statement(corrected, 2025, 3) == benefit_statement(march(last), 2025, 3)
    # The next day (1 April) stands as attended: the spell is closed, nothing missing.
    assert missing_days(corrected.timeline, date(2025, 3, 1), date(2025, 3, 31)) == []
    reason = late_reason(corrected.timeline[-1])
    assert "the list was wrong" in reason and "was record_attendance" in reason


def test_unexcused_days_corrected_drop_and_raise_the_abandonment_review() -> None:
    days = tuple(MARCH[-10:])  # the rulebook's threshold (cis_abandonment_threshold_days)
    state = main_period()
    assert state.rules(days[0]).cis_abandonment_threshold_days == len(days)
    for day in MARCH[:-10]:
        state = step(state, "record_attendance", day, hours="6")
    for day in days:
        state = step(state, "record_absence", day, kind="unexcused")
    assert DeadlineKind.ABANDONMENT_REVIEW in {d.kind for d in state.deadlines}
    excused = correct(state, days[5], mark="absent", absence="excused")
    assert excused.cis is not None and excused.cis.unexcused_streak == 4
    assert DeadlineKind.ABANDONMENT_REVIEW not in {d.kind for d in excused.deadlines}
    again = correct(excused, days[5], mark="absent", absence="unexcused")
    assert again.cis is not None and again.cis.unexcused_streak == 10
    assert again.timeline[-1].data["flag"] == "abandonment_threshold_reached"


def test_a_correction_may_be_months_late_but_not_in_the_future_or_outside_participation() -> None:
    state = march(None)
    state = step(state, "record_attendance", date(2025, 6, 2), hours="6")
    late = correct(state, MARCH[0], mark="absent", absence="excused")
    assert late.timeline[-1].occurred_on == MARCH[0]
    with pytest.raises(InvalidInput) as err:
        correct(state, date(2025, 7, 1), mark="absent", absence="excused")
    assert err.value.code == "occurred_on_in_future"
    with pytest.raises(InvalidInput) as err:
        correct(state, date(2025, 1, 10), mark="absent", absence="excused")
    assert err.value.code == "day_outside_participation"
    with pytest.raises(InvalidInput) as err:
        correct(state, MARCH[0], mark="absent", absence="excused", corrects=1)
    assert err.value.code == "no_such_mark"
    with pytest.raises(InvalidInput) as err:
        correct(state, MARCH[0], mark="present", hours="6")
    assert err.value.code == "correction_changes_nothing"


def test_who_may_correct_is_who_may_take_the_steps_involved() -> None:
    state = march(None)
    day = MARCH[2]
    with pytest.raises(Forbidden):
        correct(state, day, role=Role.CASEWORKER, mark="day_off")
    off = correct(state, day, role=Role.SUPERVISOR, mark="day_off")
    assert off.cis is not None and off.cis.days_off == 1
    with pytest.raises(Forbidden):  # undoing the head's day off is the head's too
        correct(off, day, role=Role.INSTRUCTOR, mark="present", hours="6")
    back = correct(off, day, role=Role.SUPERVISOR, mark="present", hours="5")
    assert back.cis is not None and back.cis.days_off == 0
    assert correct(state, day, role=Role.INSTRUCTOR, mark="absent", absence="sick")


def test_a_day_off_by_correction_keeps_the_rules_of_its_day() -> None:
    state = start_pathway("pw", "pt", Programme.CIS, date(2025, 1, 2), NOW)
    state = step(state, "sign_ipzs", date(2025, 1, 15))
    state = step(state, "record_attendance", date(2025, 2, 3), hours="6")  # in the trial
    state = step(state, "pass_trial", date(2025, 2, 10))
    state = step(state, "record_attendance", date(2025, 3, 3), hours="6")
    with pytest.raises(Exception) as err:
        correct(state, date(2025, 2, 3), role=Role.SUPERVISOR, mark="day_off")
    assert getattr(err.value, "code", None) == "day_off_in_trial"
    limit = state.rules(date(2025, 3, 3)).cis_days_off_max
    assert state.cis is not None
    state.cis.days_off = limit
    with pytest.raises(Conflict):
        correct(state, date(2025, 3, 3), role=Role.SUPERVISOR, mark="day_off")


def test_one_of_two_marks_of_a_day_is_corrected_by_its_seq() -> None:
    state = main_period()
    day = date(2025, 3, 3)
    state = step(state, "record_attendance", day, hours="3")
    first = len(state.timeline)
    state = step(state, "record_attendance", day, hours="2", kind="individual")
    state = correct(state, day, mark="present", hours="4", corrects=first)
    assert week_hours(state, day) == Decimal(6)
    with pytest.raises(InvalidInput) as err:
        correct(state, day, mark="present", hours="1", corrects=first)  # already superseded
    assert err.value.code == "no_such_mark"


@pytest.mark.parametrize(
    "fields",
    [
        {"mark": "present"},
        {"mark": "present", "hours": "6", "absence": "sick"},
        {"mark": "absent"},
        {"mark": "day_off", "hours": "6"},
        {"mark": "absent", "absence": "sick", "kind": "group"},
    ],
)
def test_a_correction_states_its_mark_whole(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ACTION_ADAPTER.validate_python(
            {"type": "correct_day", "occurred_on": "2025-03-03", "reason": "why", **fields}
        )


def test_the_report_rows_count_the_day_as_corrected() -> None:
    sick = march(MARCH[3])
    fixed = correct(sick, MARCH[3], mark="present", hours="6")
    key = (date(2025, 3, 1), Programme.CIS)
    _, months = fold(ReportRow(), fixed.timeline)
    _, present = fold(ReportRow(), march(None).timeline)
    assert months[key] == present[key]
    row, _ = fold(ReportRow(), fixed.timeline)
    as_present, _ = fold(ReportRow(), march(None).timeline)
    assert row.absence_days == 0 and row.attendance_days == as_present.attendance_days


def test_a_day_the_lists_missed_is_marked_late_and_is_no_longer_missing() -> None:
    state = main_period()
    for day in MARCH[1:]:
        state = step(state, "record_attendance", day, hours="6")
    assert missing_days(state.timeline, MARCH[0], MARCH[-1])[0].day == MARCH[0]
    late = correct(state, MARCH[0], mark="present", hours="6")
    assert late.timeline[-1].data["corrects"] == []
    assert missing_days(late.timeline, MARCH[0], MARCH[-1]) == []
    assert late.totals.attendance_days == state.totals.attendance_days + 1
