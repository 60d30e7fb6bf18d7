"""A hand-over's plan: balanced by load, within capacity, refused or partial with the numbers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.caseload import (
    Case,
    HolderChange,
    Load,
    ReferralDecision,
    note_holder,
    note_referral_decision,
    plan_handover,
)
from domain.errors import Conflict
from domain.pathway import PathwayInput
from domain.stages import Programme
from domain.steps import first_state

LEAVING = uuid.uuid4()
A, B = uuid.uuid4(), uuid.uuid4()


def _cases(n: int) -> list[Case]:
    return [Case(pathway_id=uuid.uuid4(), holder=LEAVING) for _ in range(n)]


def _load(who: uuid.UUID, open_cases: int, capacity: int | None) -> Load:
    return Load(caseworker_id=who, caseworker=str(who), open_cases=open_cases, capacity=capacity)


def test_cases_go_to_the_least_loaded_colleague_first() -> None:
    cases = _cases(6)
    moves, left = plan_handover(cases, [_load(A, 4, None), _load(B, 0, None)], partial=False)
    given = [m.holder for m in moves]
    # B has 4 fewer: the first four go to B, then they alternate (A first on a tie).
    assert given == [B, B, B, B, A, B]
    assert [m.pathway_id for m in moves] == [c.pathway_id for c in cases]
    assert all(m.previous == LEAVING for m in moves)
    assert left == []


def test_over_capacity_is_refused_with_the_numbers() -> None:
    with pytest.raises(Conflict) as refused:
        plan_handover(_cases(5), [_load(A, 9, 10), _load(B, 8, 10)], partial=False)
    assert refused.value.code == "capacity_exceeded"
    assert refused.value.details == {
        "cases": 5,
        "fit": 3,
        "over": 2,
        "room": {str(A): 1, str(B): 2},
    }


def test_a_partial_hand_over_moves_what_fits_and_lists_the_rest() -> None:
    cases = _cases(5)
    moves, left = plan_handover(cases, [_load(A, 9, 10), _load(B, 8, 10)], partial=True)
    assert sorted(str(m.holder) for m in moves) == sorted(map(str, [A, B, B]))
    assert left == [c.pathway_id for c in cases[3:]]


def test_a_case_is_never_handed_to_its_own_holder() -> None:
    case = Case(pathway_id=uuid.uuid4(), holder=A)
    moves, left = plan_handover([case], [_load(A, 0, None)], partial=True)
    assert moves == [] and left == [case.pathway_id]


def test_the_timeline_holds_one_event_per_hand_over_even_when_told_twice() -> None:
    start = PathwayInput(
        pathway_id=str(uuid.uuid4()),
        participant_id=str(uuid.uuid4()),
        programme=Programme.KIS,
        started_on=date(2026, 3, 2),
    )
    now = datetime(2026, 3, 10, 9, tzinfo=UTC)
    state = first_state(start, now)
    change = HolderChange(
        key="handover:1", holder=str(A), previous=str(B), actor="kierownik", occurred_on=now.date()
    )
    once = note_holder(state, change, now)
    twice = note_holder(once, change, now)
    assert len(twice.timeline) == len(state.timeline) + 1
    event = twice.timeline[-1]
    assert event.type == "holder_changed"
    assert event.data == {"holder": str(A), "previous": str(B), "deputy": None}
    # An office's act, not the person's step: a late step for an earlier day is still taken.
    assert twice.last_step_on == state.last_step_on


def test_a_referral_decision_is_on_the_senders_timeline_once() -> None:
    start = PathwayInput(
        pathway_id=str(uuid.uuid4()),
        participant_id=str(uuid.uuid4()),
        programme=Programme.KIS,
        started_on=date(2026, 3, 2),
    )
    now = datetime(2026, 3, 10, 9, tzinfo=UTC)
    state = first_state(start, now)
    decision = ReferralDecision(
        key="referral:1",
        accepted=False,
        to_unit="CIS-1",
        reason="brak miejsc",
        actor="kierownik-cis",
        occurred_on=now.date(),
    )
    twice = note_referral_decision(note_referral_decision(state, decision, now), decision, now)
    assert [e.type for e in twice.timeline[len(state.timeline) :]] == ["referral_declined"]
    assert twice.timeline[-1].data == {"to_unit": "CIS-1", "reason": "brak miejsc"}
    assert twice.last_step_on == state.last_step_on
