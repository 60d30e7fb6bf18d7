"""Correcting a KIS day and a KIS day's PSU hours (domain/corrections.py, issue 14): a new event
superseding the mark; the corrected PSU hours held to the caps of the law of the day (before
1 June 2025: 10 hours a week and 40 a month), refused with the numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.actions import ACTION_ADAPTER, CorrectDay
from domain.corrections import beyond_cis, last_kis_day
from domain.day_marks import PSU_STEPS, corrected_by, standing_marks
from domain.errors import Conflict, InvalidInput
from domain.pathway import PathwayState, StepRequest
from domain.report_rows import ReportRow, fold
from domain.roles import Role
from domain.stages import Programme
from domain.steps import start_pathway, take_step

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


def step(state: PathwayState, type_: str, on: date, **fields: Any) -> PathwayState:
    action = ACTION_ADAPTER.validate_python({"type": type_, "occurred_on": on, **fields})
    return take_step(state, StepRequest(action=action, actor="ola", role=Role.CASEWORKER), NOW)


def fix(state: PathwayState, on: date, **mark: Any) -> PathwayState:
    return step(state, "correct_day", on, reason="karta pracy", **mark)


def kis_with_psu() -> PathwayState:
    """A KIS from 3 March 2025; 4 weeks of PSU, Monday and Tuesday 5 h each: 40 h in March."""
    state = start_pathway("pw", "pt", Programme.KIS, date(2025, 3, 3), NOW)
    state = step(state, "record_diagnosis", date(2025, 3, 3))
    state = step(state, "sign_social_contract", date(2025, 3, 3))
    for week in range(4):
        monday = date(2025, 3, 3) + timedelta(weeks=week)
        for day in (monday, monday + timedelta(days=1)):
            state = step(state, "record_psu_hours", day, hours="5")
    return state


def test_psu_hours_corrected_over_the_old_monthly_cap_are_refused_with_the_numbers() -> None:
    state = kis_with_psu()
    with pytest.raises(Conflict) as caught:
        fix(state, date(2025, 3, 4), mark="psu", hours="6")
    assert caught.value.code == "psu_weekly_cap_exceeded"
    # Monday 31 March: an hour in a new week would pass the month's 40, not the week's 10.
    with pytest.raises(Conflict) as caught:
        fix(state, date(2025, 3, 31), mark="psu", hours="1")
    assert caught.value.code == "psu_monthly_cap_exceeded"
    assert caught.value.details == {"period": "month", "already": "40", "requested": "1",
                                    "cap": "40", "regime": "PSU_2004_ART73A"}  # fmt: skip
    lowered = fix(state, date(2025, 3, 4), mark="psu", hours="3")
    assert lowered.totals.psu_hours == Decimal(38)
    moved = fix(lowered, date(2025, 3, 31), mark="psu", hours="2")
    assert moved.totals.psu_hours == Decimal(40)
    psu = standing_marks(moved.timeline, PSU_STEPS)
    assert sum(Decimal(e.data["hours"]) for e in psu) == Decimal(40)
    assert len(corrected_by(moved.timeline)) == 1  # 31 March had no record: marked late
    # The report's month follows the standing hours.
    _, months = fold(ReportRow(), moved.timeline)
    assert sum((m.psu_hours for m in months.values()), Decimal(0)) == Decimal(40)


def test_a_kis_absence_corrected_to_present_leaves_the_absences() -> None:
    state = kis_with_psu()
    state = step(state, "record_absence", date(2025, 3, 31), kind="sick")
    fixed = fix(state, date(2025, 3, 31), mark="present", hours="4", kind="group")
    assert fixed.totals.absences == {} and fixed.totals.attendance_days == 1
    assert fixed.totals.psu_hours == state.totals.psu_hours  # PSU is a record apart
    assert fixed.cis is None and fixed.timeline[-1].data["replaced"] == [
        {"seq": state.timeline[-1].seq, "type": "record_absence", "kind": "sick"}
    ]


def kis_then_cis() -> PathwayState:
    """A KIS from 3 March 2025 (an unexcused absence on the 10th, 4 hours on the 11th), referred
    to a CIS on 1 April and admitted on 2 April."""
    state = start_pathway("pw", "pt", Programme.KIS, date(2025, 3, 3), NOW)
    state = step(state, "record_diagnosis", date(2025, 3, 3))
    state = step(state, "sign_social_contract", date(2025, 3, 3))
    state = step(state, "record_absence", date(2025, 3, 10), kind="unexcused")
    state = step(state, "record_attendance", date(2025, 3, 11), hours="4")
    state = step(state, "refer", date(2025, 4, 1), to="cis")
    action = ACTION_ADAPTER.validate_python({"type": "sign_ipzs", "occurred_on": "2025-04-02"})
    return take_step(state, StepRequest(action=action, actor="szef", role=Role.SUPERVISOR), NOW)


def test_a_kis_day_is_corrected_as_the_kis_s_after_the_referral_to_a_cis() -> None:
    state = kis_then_cis()
    assert state.cis is not None and last_kis_day(state) == date(2025, 3, 31)
    fixed = fix(state, date(2025, 3, 10), mark="present", hours="5", kind="group")
    assert fixed.totals.absences == {} and fixed.totals.attendance_days == 2
    correction = fixed.timeline[-1]
    assert correction.type == "correct_day" and correction.data["replaced"] == [
        {"seq": 4, "type": "record_absence", "kind": "unexcused"}
    ]
    # Behind the KIS corrections' patch, as a KIS day of a KIS-only pathway (a CIS day is not).
    kis_day = CorrectDay.model_validate(
        {"type": "correct_day", "occurred_on": "2025-03-10", "mark": "present", "hours": "5",
         "reason": "karta pracy"}
    )  # fmt: skip
    assert beyond_cis(state, kis_day)
    assert not beyond_cis(state, kis_day.model_copy(update={"occurred_on": date(2025, 4, 3)}))
    # The report files the corrected day in the KIS's March, where the day was.
    row, months = fold(ReportRow(), fixed.timeline)
    march = months[(date(2025, 3, 1), "kis")]
    assert (march.attendance_days, march.attendance_hours, march.unexcused_days) == (
        2, Decimal(9), 0,
    )  # fmt: skip
    assert (date(2025, 3, 1), "cis") not in months and row.cis_entered_on == date(2025, 4, 1)
    # Folded in two batches, the correction after the referral, it lands in the same month.
    first, _ = fold(ReportRow(), fixed.timeline[:-1])
    _, later = fold(first, fixed.timeline)
    assert later[(date(2025, 3, 1), "kis")].unexcused_days == -1


def test_the_referral_s_day_is_the_cis_s_and_outside_its_participation() -> None:
    state = kis_then_cis()
    with pytest.raises(InvalidInput) as caught:
        fix(state, date(2025, 4, 1), mark="present", hours="4", kind="group")
    assert caught.value.code == "day_outside_participation"
    assert caught.value.details["first"] == "2025-04-02"
