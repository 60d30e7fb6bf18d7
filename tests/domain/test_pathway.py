"""The KIS stage machine as pure functions (domain/pathway.py, stages.py, actions.py; §9.4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.actions import ACTION_ADAPTER
from domain.errors import Forbidden, InvalidInput, StepNotAllowed
from domain.pathway import PathwayState, StepRequest
from domain.roles import SUPERVISOR_ONLY, Role
from domain.stages import STEPS, Programme, Stage, Step
from domain.steps import allowed_actions, check_role, start_pathway, take_step

NOW = datetime(2024, 6, 10, 10, 0, tzinfo=UTC)
START = date(2024, 1, 10)

# A minimal valid payload for every step.
PAYLOADS: dict[str, dict[str, Any]] = {
    "record_diagnosis": {},
    "sign_social_contract": {},
    "record_attendance": {"hours": "3"},
    "record_absence": {"kind": "sick"},
    "record_psu_hours": {"hours": "2"},
    "review_contract": {},
    "mark_contract_fulfilled": {},
    "complete_kis": {},
    "withdraw": {},
    "record_outcome": {"employed": False},
    "refer": {"to": "cis"},
    "correct_day": {"mark": "absent", "absence": "excused", "reason": "lista obecności"},
}
RECORDS = {"record_attendance", "record_absence", "record_psu_hours", "review_contract"}
ACTIVE_STEPS = RECORDS | {"mark_contract_fulfilled", "complete_kis", "withdraw", "refer"}
# Written out from domain.md §9.4, not read from STEPS, so a change to STEPS shows up here.
LEGAL: dict[Stage, set[str]] = {
    Stage.KIS_INTAKE: {"record_diagnosis", "withdraw", "refer"},
    Stage.KIS_DIAGNOSED: {"sign_social_contract", "withdraw", "refer"},
    # A KIS day (or its PSU hours) is corrected in the programme and after it (issue 14).
    Stage.KIS_ACTIVE: ACTIVE_STEPS | {"correct_day"},
    Stage.KIS_COMPLETED: {"record_outcome", "refer", "correct_day"},
    Stage.WITHDRAWN: {"record_outcome", "correct_day"},
    Stage.TERMINATED: {"record_outcome", "correct_day"},
    Stage.CLOSED: set(),
}


def request(
    type_: str,
    on: date | None = None,
    role: Role = Role.CASEWORKER,
    request_id: str | None = None,
    **fields: Any,
) -> StepRequest:
    payload = {**PAYLOADS[type_], **fields, "type": type_}
    if on is not None:
        payload["occurred_on"] = on
    action = ACTION_ADAPTER.validate_python(payload)
    return StepRequest(action=action, actor="anna", role=role, request_id=request_id)


def step(
    state: PathwayState, type_: str, on: date | None = None, now: datetime = NOW, **fields: Any
) -> PathwayState:
    return take_step(state, request(type_, on, **fields), now)


def started(on: date = START, now: datetime = NOW) -> PathwayState:
    return start_pathway("pw-1", "pt-1", Programme.KIS, on, now)


def active(on: date = START, now: datetime = NOW, **contract: Any) -> PathwayState:
    state = step(started(on, now), "record_diagnosis", on, now)
    return step(state, "sign_social_contract", on, now, **contract)


def in_stage(stage: Stage) -> PathwayState:
    if stage is Stage.KIS_INTAKE:
        return started()
    if stage is Stage.KIS_DIAGNOSED:
        return step(started(), "record_diagnosis", START)
    if stage is Stage.KIS_ACTIVE:
        return active()
    if stage is Stage.KIS_COMPLETED:
        return step(active(), "complete_kis", date(2024, 6, 1))
    withdrawn = step(started(), "withdraw", date(2024, 6, 1))
    if stage is Stage.WITHDRAWN:
        return withdrawn
    if stage is Stage.TERMINATED:
        return withdrawn.model_copy(update={"stage": Stage.TERMINATED, "exit_kind": "terminated"})
    return step(withdrawn, "record_outcome", employed=True, self_employed=True)


def code_of(excinfo: pytest.ExceptionInfo[Any]) -> str:
    return str(excinfo.value.code)


def test_happy_path_intake_to_graduate() -> None:
    now = datetime(2024, 7, 15, 10, 0, tzinfo=UTC)
    state = started(START, now)
    assert state.stage is Stage.KIS_INTAKE
    assert state.rulebook_key == "uzs-2022"
    state = step(state, "record_diagnosis", date(2024, 1, 11), now, summary="needs")
    assert state.stage is Stage.KIS_DIAGNOSED
    state = step(state, "sign_social_contract", date(2024, 1, 12), now, review_on=date(2024, 3, 1))
    assert state.stage is Stage.KIS_ACTIVE
    state = step(state, "record_attendance", date(2024, 1, 15), now, hours="3.5")
    state = step(state, "record_attendance", date(2024, 1, 16), now, hours="2")
    state = step(state, "record_absence", date(2024, 1, 17), now, kind="sick")
    state = step(state, "record_psu_hours", date(2024, 1, 18), now, hours="4")
    assert state.stage is Stage.KIS_ACTIVE
    state = step(state, "mark_contract_fulfilled", date(2024, 6, 1), now)
    before_exit = state
    state = step(state, "complete_kis", date(2024, 7, 10), now)
    assert before_exit.stage is Stage.KIS_ACTIVE and not before_exit.graduate
    assert state.stage is Stage.KIS_COMPLETED
    assert state.graduate
    assert state.timeline[-1].data["certificate_issued"] is True
    assert state.totals.attendance_days == 2
    assert str(state.totals.attendance_hours) == "5.5"
    assert str(state.totals.psu_hours) == "4"
    assert dict(state.totals.absences) == {"sick": 1}
    types = [e.type for e in state.timeline]
    assert types[:3] == ["pathway_started", "record_diagnosis", "sign_social_contract"]
    assert types[3:7] == ["record_attendance"] * 2 + ["record_absence", "record_psu_hours"]
    assert types[7:] == ["mark_contract_fulfilled", "complete_kis"]
    assert [e.seq for e in state.timeline] == list(range(1, 10))
    assert state.timeline[0].actor == "system" and state.timeline[1].actor == "anna"


@pytest.mark.parametrize("stage", list(LEGAL))
def test_only_the_stage_s_steps_are_allowed(stage: Stage) -> None:
    state = in_stage(stage)
    assert state.stage is stage
    assert set(allowed_actions(state, Role.CASEWORKER)) == LEGAL[stage]
    assert set(allowed_actions(state, Role.SUPERVISOR)) == LEGAL[stage]
    before = state.model_dump()
    for type_ in set(PAYLOADS) - LEGAL[stage]:
        with pytest.raises(StepNotAllowed) as caught:
            step(state, type_, date(2024, 6, 5))
        # Closed after qualifying work: the outcome is known, nothing else to record.
        late = stage is Stage.CLOSED and type_ == "record_outcome"
        assert code_of(caught) == ("already_recorded" if late else "step_not_allowed"), type_
        assert state.model_dump() == before
    for type_ in LEGAL[stage]:
        on = date(2024, 5, 6) if type_ == "correct_day" else date(2024, 6, 5)  # a KIS day
        assert step(state, type_, on).timeline[-1].type == type_


def _graduate(start: date, completed_on: date, fulfilled: bool = True) -> PathwayState:
    now = datetime(2031, 12, 1, tzinfo=UTC)
    state = active(start, now)
    if fulfilled:
        state = step(state, "mark_contract_fulfilled", start, now)
    return step(state, "complete_kis", completed_on, now)


@pytest.mark.parametrize(
    ("start", "boundary"),
    [
        (date(2024, 1, 10), date(2024, 7, 10)),
        (date(2023, 8, 31), date(2024, 2, 29)),
        (date(2022, 8, 31), date(2023, 2, 28)),
        (date(2023, 12, 31), date(2024, 6, 30)),
        (date(2021, 3, 31), date(2021, 9, 30)),  # pre-2022 rulebook: also 6 months
    ],
)
def test_graduate_from_six_calendar_months_exactly(start: date, boundary: date) -> None:
    day_before = _graduate(start, boundary - timedelta(days=1))
    assert not day_before.graduate
    assert day_before.timeline[-1].data["lasted_min_months"] is False
    on_the_day = _graduate(start, boundary)
    assert on_the_day.graduate
    assert on_the_day.timeline[-1].data["graduate"] is True


def test_not_a_graduate_without_a_fulfilled_contract() -> None:
    state = _graduate(date(2024, 1, 10), date(2024, 12, 10), fulfilled=False)
    assert state.stage is Stage.KIS_COMPLETED
    assert not state.graduate
    assert state.timeline[-1].data["contract_fulfilled"] is False
    assert state.timeline[-1].data["lasted_min_months"] is True


def _six_months_on(start: date) -> date:
    # Independent of add_months: the same day six months on, or the month's last day.
    year, month = divmod(start.year * 12 + start.month - 1 + 6, 12)
    for day in range(start.day, 27, -1):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    return date(year, month + 1, start.day)


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(2003, 1, 1), max_value=date(2031, 5, 31))
    | st.sampled_from([date(2023, 8, 31), date(2019, 8, 31), date(2024, 3, 31)])
)
def test_graduate_boundary_for_any_start(start: date) -> None:
    boundary = _six_months_on(start)
    assert not _graduate(start, boundary - timedelta(days=1)).graduate
    assert _graduate(start, boundary).graduate


def test_contract_fulfilled_only_once() -> None:
    state = step(active(), "mark_contract_fulfilled", date(2024, 2, 1))
    with pytest.raises(StepNotAllowed) as caught:
        step(state, "mark_contract_fulfilled", date(2024, 2, 2))
    assert code_of(caught) == "already_recorded"


def test_a_step_may_not_be_dated_in_the_future() -> None:
    with pytest.raises(InvalidInput) as caught:
        step(active(), "record_attendance", date(2024, 6, 11))
    assert code_of(caught) == "occurred_on_in_future"
    late = datetime(2024, 6, 10, 22, 30, tzinfo=UTC)  # already 11 June in Warsaw
    taken = step(active(), "record_attendance", date(2024, 6, 11), late)
    assert taken.timeline[-1].occurred_on == date(2024, 6, 11)


def test_a_step_without_a_date_happens_today_in_poland() -> None:
    late = datetime(2024, 6, 10, 22, 30, tzinfo=UTC)
    taken = step(active(), "record_attendance", None, late)
    assert taken.timeline[-1].occurred_on == date(2024, 6, 11)


def test_a_step_may_not_be_dated_before_the_previous_one() -> None:
    state = step(started(), "record_diagnosis", date(2024, 1, 15))
    with pytest.raises(InvalidInput) as caught:
        step(state, "sign_social_contract", date(2024, 1, 14))
    assert code_of(caught) == "occurred_on_before_previous_step"
    assert step(state, "sign_social_contract", date(2024, 1, 15)).stage is Stage.KIS_ACTIVE
    with pytest.raises(InvalidInput) as caught:
        step(started(), "record_diagnosis", date(2024, 1, 9))
    assert code_of(caught) == "occurred_on_before_previous_step"


def test_start_date_may_not_be_in_the_future() -> None:
    with pytest.raises(InvalidInput) as caught:
        started(date(2024, 6, 11))
    assert code_of(caught) == "start_date_in_future"
    late = datetime(2024, 6, 10, 22, 30, tzinfo=UTC)  # already 11 June in Warsaw
    assert started(date(2024, 6, 11), late).started_on == date(2024, 6, 11)


def test_start_before_the_act_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        started(date(2002, 12, 31))
    assert code_of(caught) == "date_before_the_act"


def test_the_start_records_the_regime_in_force_on_its_day() -> None:
    assert started(date(2021, 12, 31)).rulebook_key == "uzs-2003"
    assert started(date(2022, 2, 14)).rulebook_key == "uzs-2022-benefit"
    assert started(date(2022, 2, 15)).rulebook_key == "uzs-2022"


def test_admin_may_take_no_step() -> None:
    state = started()
    assert allowed_actions(state, Role.ADMIN) == []
    for type_ in PAYLOADS:
        check_role(type_, Role.CASEWORKER)
        check_role(type_, Role.SUPERVISOR)
        with pytest.raises(Forbidden) as caught:
            take_step(state, request(type_, START, role=Role.ADMIN), NOW)
        assert code_of(caught) == "role_not_allowed"


def test_a_step_excluding_caseworkers_is_refused_to_them(monkeypatch: pytest.MonkeyPatch) -> None:
    supervisors = Step(frozenset({Stage.KIS_ACTIVE}), SUPERVISOR_ONLY, Stage.KIS_COMPLETED)
    monkeypatch.setitem(STEPS, "complete_kis", supervisors)
    state = active()
    with pytest.raises(Forbidden) as caught:
        check_role("complete_kis", Role.CASEWORKER)
    assert code_of(caught) == "role_not_allowed"
    with pytest.raises(Forbidden):
        take_step(state, request("complete_kis", date(2024, 6, 1)), NOW)
    assert "complete_kis" not in allowed_actions(state, Role.CASEWORKER)
    assert "complete_kis" in allowed_actions(state, Role.SUPERVISOR)
    done = take_step(state, request("complete_kis", date(2024, 6, 1), role=Role.SUPERVISOR), NOW)
    assert done.stage is Stage.KIS_COMPLETED


def test_request_id_is_recorded_with_its_seq() -> None:
    state = take_step(started(), request("record_diagnosis", START, request_id="req-1"), NOW)
    assert state.applied_requests == {"req-1": 2}
    assert state.timeline[1].seq == 2 and state.timeline[1].type == "record_diagnosis"
    assert step(state, "withdraw", START).applied_requests == {"req-1": 2}
