"""Deadlines, exits and 90-day outcomes of a KIS pathway (domain/pathway.py; §6.1, §9.7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.actions import ACTION_ADAPTER, RecordOutcome
from domain.deadlines import reach_deadlines
from domain.errors import InvalidInput
from domain.exits import classify_outcome
from domain.pathway import DeadlineKind, OutcomeStatus, PathwayState, StepRequest, is_finished
from domain.roles import Role
from domain.rulebook import rulebook_for
from domain.stages import Programme, Stage
from domain.steps import allowed_actions, start_pathway, take_step
from domain.views import snapshot, view

NOW = datetime(2024, 6, 10, 10, 0, tzinfo=UTC)
START = date(2024, 1, 10)
WITHDRAWN_ON = date(2024, 2, 1)
WINDOW_END = date(2024, 5, 1)  # 1 Feb 2024 + 90 days (29-day February)
RECORDS = {"record_attendance", "record_absence", "record_psu_hours", "review_contract"}
ACTIVE_STEPS = RECORDS | {"mark_contract_fulfilled", "complete_kis", "withdraw", "refer"}
NOT_QUALIFYING = OutcomeStatus.EMPLOYED_NOT_QUALIFYING


def step(
    state: PathwayState, type_: str, on: date | None = None, now: datetime = NOW, **fields: Any
) -> PathwayState:
    payload = {**fields, "type": type_}
    if on is not None:
        payload["occurred_on"] = on
    action = ACTION_ADAPTER.validate_python(payload)
    return take_step(state, StepRequest(action=action, actor="anna", role=Role.CASEWORKER), now)


def started(on: date = START, now: datetime = NOW) -> PathwayState:
    return start_pathway("pw-1", "pt-1", Programme.KIS, on, now)


def active(on: date = START, now: datetime = NOW, **contract: Any) -> PathwayState:
    state = step(started(on, now), "record_diagnosis", on, now)
    return step(state, "sign_social_contract", on, now, **contract)


def withdrawn() -> PathwayState:
    return step(started(), "withdraw", WITHDRAWN_ON)


def deadlines(state: PathwayState) -> list[tuple[DeadlineKind, date, bool]]:
    return sorted((d.kind, d.due_on, d.overdue) for d in state.deadlines)


def last(state: PathwayState) -> tuple[str, date, str]:
    event = state.timeline[-1]
    return event.type, event.occurred_on, event.actor


def at(y: int, m: int, d: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


def test_kis_start_sets_the_six_month_milestone() -> None:
    assert deadlines(started(date(2023, 8, 31))) == [
        (DeadlineKind.KIS_SIX_MONTHS, date(2024, 2, 29), False)
    ]


def test_a_pathway_started_seven_months_ago_passes_six_months_at_once() -> None:
    state = started(date(2023, 11, 10))
    reached = reach_deadlines(state, NOW)
    assert deadlines(reached) == []
    assert last(reached) == ("deadline_reached", date(2024, 5, 10), "system")
    assert reached.timeline[-1].data == {"kind": DeadlineKind.KIS_SIX_MONTHS}
    assert len(state.timeline) == 1 and len(state.deadlines) == 1  # input untouched


def test_a_deadline_is_reached_at_warsaw_midnight() -> None:
    state = started(date(2023, 11, 10))
    assert reach_deadlines(state, at(2024, 5, 9, 21, 59, 59)) == state
    assert reach_deadlines(state, at(2024, 5, 9, 22)).timeline[-1].type == "deadline_reached"


def test_system_events_do_not_bound_a_person_s_step_date() -> None:
    state = reach_deadlines(active(date(2023, 11, 10)), NOW)
    assert state.timeline[-1].occurred_on == date(2024, 5, 10)
    assert step(state, "record_attendance", date(2024, 1, 15), hours="1").stage is Stage.KIS_ACTIVE


def test_contract_review_turns_overdue_and_stays_until_reviewed() -> None:
    state = reach_deadlines(active(review_on=date(2024, 3, 1)), NOW)
    assert deadlines(state) == [
        (DeadlineKind.CONTRACT_REVIEW, date(2024, 3, 1), True),
        (DeadlineKind.KIS_SIX_MONTHS, date(2024, 7, 10), False),
    ]
    event = state.timeline[-1]
    assert (event.type, event.occurred_on, event.data) == (
        "deadline_overdue",
        date(2024, 3, 1),
        {"kind": DeadlineKind.CONTRACT_REVIEW},
    )
    later = reach_deadlines(state, at(2024, 6, 20, 10))
    assert later.timeline == state.timeline and deadlines(later) == deadlines(state)
    reviewed = step(state, "review_contract", date(2024, 6, 10), next_review_on=date(2024, 9, 1))
    assert deadlines(reviewed) == [
        (DeadlineKind.CONTRACT_REVIEW, date(2024, 9, 1), False),
        (DeadlineKind.KIS_SIX_MONTHS, date(2024, 7, 10), False),
    ]
    assert reviewed.totals.contract_reviews == 1
    no_next = step(state, "review_contract", date(2024, 6, 10))
    assert deadlines(no_next) == [(DeadlineKind.KIS_SIX_MONTHS, date(2024, 7, 10), False)]


def test_a_review_is_overdue_only_after_its_day_ends() -> None:
    state = active(review_on=date(2024, 3, 1))
    on_the_day = reach_deadlines(state, at(2024, 3, 1, 22, 59, 59))  # 23:59:59 in Warsaw
    assert (DeadlineKind.CONTRACT_REVIEW, date(2024, 3, 1), False) in deadlines(on_the_day)
    next_day = reach_deadlines(state, at(2024, 3, 1, 23))
    assert (DeadlineKind.CONTRACT_REVIEW, date(2024, 3, 1), True) in deadlines(next_day)


def test_deadlines_due_together_are_recorded_in_date_order() -> None:
    state = reach_deadlines(active(date(2023, 11, 10), review_on=date(2024, 1, 10)), NOW)
    assert [(e.type, e.occurred_on) for e in state.timeline[-2:]] == [
        ("deadline_overdue", date(2024, 1, 10)),
        ("deadline_reached", date(2024, 5, 10)),
    ]


@pytest.mark.parametrize("review_on", [START, date(2024, 1, 9)])
def test_a_review_date_must_follow_the_step(review_on: date) -> None:
    state = step(started(), "record_diagnosis", START)
    with pytest.raises(InvalidInput) as caught:
        step(state, "sign_social_contract", START, review_on=review_on)
    assert caught.value.code == "review_date_not_after_step"
    assert state.stage is Stage.KIS_DIAGNOSED and len(state.timeline) == 2


def test_completion_opens_a_90_day_outcome_window() -> None:
    state = step(active(review_on=date(2024, 8, 1)), "complete_kis", date(2024, 6, 5))
    assert deadlines(state) == [(DeadlineKind.OUTCOME_WINDOW, date(2024, 9, 3), False)]
    assert (state.exit_kind, state.exited_on) == ("kis_completed", date(2024, 6, 5))


def test_withdrawal_opens_a_90_day_outcome_window() -> None:
    state = withdrawn()
    assert state.stage is Stage.WITHDRAWN
    assert deadlines(state) == [(DeadlineKind.OUTCOME_WINDOW, WINDOW_END, False)]
    assert (state.exit_kind, state.exited_on) == ("withdrawn", WITHDRAWN_ON)


def test_the_window_closes_the_pathway_as_not_reported() -> None:
    state = withdrawn()
    # Day 90 is inside the window: it closes when 2 May begins in Warsaw (22:00 UTC on 1 May).
    on_day_90 = reach_deadlines(state, at(2024, 5, 1, 21, 59, 59))
    assert on_day_90.stage is Stage.WITHDRAWN
    assert (
        step(
            on_day_90,
            "record_outcome",
            WINDOW_END,
            at(2024, 5, 1, 21),
            employed=True,
            self_employed=True,
        ).stage
        is Stage.CLOSED
    )
    closed = reach_deadlines(state, at(2024, 5, 1, 22))
    assert closed.stage is Stage.CLOSED and not is_finished(closed)
    assert closed.outcome is OutcomeStatus.NOT_REPORTED
    assert last(closed) == ("outcome_window_closed", WINDOW_END, "system")
    # Evidence dated inside the window may still come for the policy's 90 days, then nothing.
    evidence_end = WINDOW_END + timedelta(days=90)
    assert [(d.kind, d.due_on) for d in closed.deadlines] == [
        (DeadlineKind.EVIDENCE_END, evidence_end)
    ]
    assert allowed_actions(closed, Role.CASEWORKER) == ["record_outcome"]
    later = at(2024, 6, 20, 10)
    with pytest.raises(InvalidInput) as refused:
        step(closed, "record_outcome", WINDOW_END + timedelta(days=1), later, employed=False)
    assert refused.value.code == "outcome_after_window"
    late = step(
        closed, "record_outcome", WINDOW_END, later, employed=True, contract_type="employment",
        open_ended=True, fte="1",
    )  # fmt: skip
    assert late.outcome is OutcomeStatus.EMPLOYED and is_finished(late)
    after = evidence_end + timedelta(days=1)
    done = reach_deadlines(closed, at(after.year, after.month, after.day, 0))
    assert is_finished(done) and allowed_actions(done, Role.CASEWORKER) == []


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"employed": True, "contract_months": 3, "fte": "0.5"}, OutcomeStatus.EMPLOYED),
        ({"employed": True, "contract_months": 12, "fte": "1"}, OutcomeStatus.EMPLOYED),
        ({"employed": True, "self_employed": True}, OutcomeStatus.EMPLOYED),
        ({"employed": True, "contract_months": 2, "fte": "1"}, NOT_QUALIFYING),
        ({"employed": True, "contract_months": 3, "fte": "0.499"}, NOT_QUALIFYING),
        ({"employed": True, "fte": "1"}, NOT_QUALIFYING),
        ({"employed": True, "contract_months": 6}, NOT_QUALIFYING),
        ({"employed": False}, OutcomeStatus.NOT_EMPLOYED),
    ],
)
def test_record_outcome(fields: dict[str, Any], expected: OutcomeStatus) -> None:
    state = step(withdrawn(), "record_outcome", date(2024, 3, 1), **fields)
    assert state.outcome is expected
    assert state.timeline[-1].data["classified_as"] == expected
    if expected is OutcomeStatus.EMPLOYED:
        assert state.stage is Stage.CLOSED and state.deadlines == []
    else:
        assert state.stage is Stage.WITHDRAWN
        assert deadlines(state) == [(DeadlineKind.OUTCOME_WINDOW, WINDOW_END, False)]


def test_a_later_qualifying_job_closes_an_open_window() -> None:
    first = step(
        withdrawn(), "record_outcome", date(2024, 3, 1), employed=True, contract_months=1, fte="1"
    )
    second = step(
        first, "record_outcome", date(2024, 4, 1), employed=True, contract_months=3, fte="0.75"
    )
    assert (second.stage, second.outcome) == (Stage.CLOSED, OutcomeStatus.EMPLOYED)


def test_a_non_qualifying_outcome_survives_the_window_closing() -> None:
    state = step(withdrawn(), "record_outcome", date(2024, 3, 1), employed=False)
    closed = reach_deadlines(state, NOW)
    assert (closed.stage, closed.outcome) == (Stage.CLOSED, OutcomeStatus.NOT_EMPLOYED)


def test_an_outcome_after_the_window_is_refused() -> None:
    state = withdrawn()
    late = at(2024, 5, 2, 10)
    with pytest.raises(InvalidInput) as caught:
        step(state, "record_outcome", date(2024, 5, 2), late, employed=False)
    assert caught.value.code == "outcome_after_window"
    assert caught.value.details == {"window_end": "2024-05-01"}
    assert state.outcome is None and state.stage is Stage.WITHDRAWN
    assert (
        step(state, "record_outcome", WINDOW_END, late, employed=False).outcome
        is OutcomeStatus.NOT_EMPLOYED
    )


@given(
    st.integers(min_value=0, max_value=600) | st.none(),
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal(1), places=3) | st.none(),
    st.booleans(),
    st.sampled_from([date(2021, 1, 1), date(2024, 1, 1)]),
)
def test_classification_follows_the_efs_definition(
    months: int | None, fte: Decimal | None, self_employed: bool, started_on: date
) -> None:
    outcome = RecordOutcome(
        type="record_outcome",
        employed=True,
        contract_months=months,
        fte=fte,
        self_employed=self_employed,
    )
    qualifies = self_employed or (
        months is not None and months >= 3 and fte is not None and fte >= Decimal("0.5")
    )
    expected = OutcomeStatus.EMPLOYED if qualifies else NOT_QUALIFYING
    assert classify_outcome(outcome, rulebook_for(started_on)) is expected
    unemployed = outcome.model_copy(update={"employed": False})
    assert classify_outcome(unemployed, rulebook_for(started_on)) is OutcomeStatus.NOT_EMPLOYED


def test_snapshot_returns_events_after_a_seq_and_the_next_deadline() -> None:
    state = step(
        active(review_on=date(2024, 3, 1)), "record_attendance", date(2024, 1, 20), hours="2"
    )
    snap = snapshot(state, after_seq=2, limit=10)
    assert [e.seq for e in snap.events] == [3, 4]
    assert [e.type for e in snap.events] == ["sign_social_contract", "record_attendance"]
    assert snap.last_seq == 4
    assert snap.next_due_kind is DeadlineKind.CONTRACT_REVIEW
    assert snap.next_due_on == date(2024, 3, 1)
    assert not snap.closed and snap.stage is Stage.KIS_ACTIVE
    assert [e.seq for e in snapshot(state, after_seq=2, limit=1).events] == [3]
    assert snapshot(state, after_seq=2, limit=1).last_seq == 3
    empty = snapshot(state, after_seq=4, limit=10)
    assert empty.events == [] and empty.last_seq == 4
    employed = step(withdrawn(), "record_outcome", WINDOW_END, employed=True, self_employed=True)
    closed = snapshot(employed, after_seq=0, limit=100)
    assert closed.closed and closed.next_due_kind is None and closed.next_due_on is None


def test_view_shows_deadlines_by_date_and_the_role_s_steps() -> None:
    state = active(review_on=date(2024, 8, 1))
    shown = view(state, Role.CASEWORKER)
    assert [(d.kind, d.due_on) for d in shown.deadlines] == [
        (DeadlineKind.KIS_SIX_MONTHS, date(2024, 7, 10)),
        (DeadlineKind.CONTRACT_REVIEW, date(2024, 8, 1)),
    ]
    assert set(shown.allowed_actions) == ACTIVE_STEPS | {"correct_day"}  # a KIS day corrected
    assert view(state, Role.ADMIN).allowed_actions == []
    expected = ("pw-1", Stage.KIS_ACTIVE, "uzs-2022", False)
    assert (shown.id, shown.stage, shown.rulebook, shown.graduate) == expected
