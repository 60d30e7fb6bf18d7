"""Who holds each case: the responsible caseworker and a deputy, hand-overs balanced by load,
each caseworker's capacity (a unit's policy).

Pure rules: the plan of a hand-over (which case goes to whom) and the event it leaves on a
pathway's timeline. The services record the plan and tell the workflows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.errors import Conflict
from domain.pathway import PathwayState, fork, record_event
from domain.stages import Stage

# The timeline's event of a hand-over: administrative, not a step of the person (it does not
# move `last_step_on`, so a step recorded late for a day before the hand-over is still taken).
HOLDER_CHANGED = "holder_changed"


class CaseloadPolicy(BaseModel):
    """A unit's limit of open cases per caseworker; None: no limit."""

    model_config = ConfigDict(frozen=True)

    max_open_cases: int | None = Field(default=None, ge=1, le=10_000)


class CaseloadPolicyOut(CaseloadPolicy):
    """A unit's caseload policy as set."""

    unit_code: str


class HandoverRequest(BaseModel):
    """A supervisor's hand-over: some cases (`pathway_ids`) or a whole caseload (`from_caseworker`)
    to one or several colleagues (`to`), balanced by load. With `partial`, what does not fit is
    left with its holder and listed; without it, a hand-over that does not fit is refused."""

    model_config = ConfigDict(extra="forbid")

    from_caseworker: uuid.UUID | None = None
    pathway_ids: list[uuid.UUID] = Field(default_factory=list, max_length=5_000)
    to: list[uuid.UUID] = Field(min_length=1, max_length=50)
    deputy: uuid.UUID | None = None
    partial: bool = False

    @model_validator(mode="after")
    def _what(self) -> HandoverRequest:
        if (self.from_caseworker is None) == (not self.pathway_ids):
            raise ValueError("give either from_caseworker or pathway_ids")
        if len(set(self.to)) != len(self.to):
            raise ValueError("a colleague is named twice in `to`")
        if self.deputy is not None and self.deputy in self.to:
            raise ValueError("the deputy cannot be one of the new holders")
        return self


class Load(BaseModel):
    """A caseworker's open cases against their capacity."""

    caseworker_id: uuid.UUID
    caseworker: str
    open_cases: int
    capacity: int | None


class CaseMove(BaseModel):
    """One case handed over."""

    pathway_id: uuid.UUID
    previous: uuid.UUID
    holder: uuid.UUID


class HandoverResult(BaseModel):
    """What the hand-over did: the cases moved, those left (no room), the loads after."""

    handover_id: uuid.UUID
    moved: list[CaseMove]
    left: list[uuid.UUID]
    loads: list[Load]


class HolderChange(BaseModel):
    """Told to a pathway's workflow: who holds it now (ids only), by whose act, once per key."""

    key: str
    holder: str
    previous: str
    deputy: str | None = None
    actor: str
    occurred_on: date


class Case(BaseModel):
    """An open case to hand over and whose it is now."""

    pathway_id: uuid.UUID
    holder: uuid.UUID


def plan_handover(
    cases: Sequence[Case], loads: Sequence[Load], partial: bool
) -> tuple[list[CaseMove], list[uuid.UUID]]:
    """Each case to the colleague with the fewest open cases who has room (the first named on a
    tie); a case already held by its only target stays. Refused with the numbers when something
    does not fit and `partial` is false."""
    open_cases = {load.caseworker_id: load.open_cases for load in loads}
    order = [load.caseworker_id for load in loads]
    capacity = {load.caseworker_id: load.capacity for load in loads}
    moves: list[CaseMove] = []
    left: list[uuid.UUID] = []
    for case in cases:
        candidates = [
            c
            for c in order
            if c != case.holder and (capacity[c] is None or open_cases[c] < (capacity[c] or 0))
        ]
        if not candidates:
            left.append(case.pathway_id)
            continue
        chosen = min(candidates, key=lambda c: (open_cases[c], order.index(c)))
        open_cases[chosen] += 1
        moves.append(CaseMove(pathway_id=case.pathway_id, previous=case.holder, holder=chosen))
    if left and not partial:
        room = {
            str(load.caseworker_id): (
                None if load.capacity is None else max(load.capacity - load.open_cases, 0)
            )
            for load in loads
        }
        raise Conflict(
            "capacity_exceeded",
            f"{len(cases)} cases do not fit: {len(left)} would exceed the colleagues' capacity.",
            {"cases": len(cases), "fit": len(moves), "over": len(left), "room": room},
        )
    return moves, left


def holder_data(holder: str, previous: str, deputy: str | None) -> dict[str, str | None]:
    """A `holder_changed` event's data, as the workflow records it and as the hand-over's own
    transaction writes it into the read model ahead of the workflow (db/caseload.py)."""
    return {"holder": holder, "previous": previous, "deputy": deputy}


def note_holder(state: PathwayState, change: HolderChange, now: datetime) -> PathwayState:
    """A hand-over on the timeline, once per key; a closed pathway ignores it."""
    if change.key in state.applied_requests or state.stage is Stage.CLOSED:
        return state
    new = fork(state)
    data = holder_data(change.holder, change.previous, change.deputy)
    seq = record_event(new, HOLDER_CHANGED, change.occurred_on, change.actor, now, data)
    new.applied_requests[change.key] = seq
    return new


class HeldCase(BaseModel):
    """An open case as its holder's list shows it (names are for staff eyes only)."""

    pathway_id: uuid.UUID
    participant_id: uuid.UUID
    participant_name: str
    programme: str
    stage: str
    next_due_kind: str | None
    next_due_on: date | None
    deputy_id: uuid.UUID | None


class Caseload(BaseModel):
    """A caseworker's caseload: open cases against capacity, and the cases."""

    load: Load
    cases: list[HeldCase]


class UnitCaseloads(BaseModel):
    """Every holder of the unit: open cases against capacity."""

    loads: list[Load]


class LeaveCreate(BaseModel):
    """A caseworker away for some days: their tasks and digest go to each case's deputy (else
    to `cover_id`) on those days; the cases stay theirs."""

    model_config = ConfigDict(extra="forbid")

    caseworker_id: uuid.UUID
    first_day: date
    last_day: date
    cover_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _span(self) -> LeaveCreate:
        if self.last_day < self.first_day:
            raise ValueError("last_day is before first_day")
        if self.cover_id == self.caseworker_id:
            raise ValueError("a caseworker cannot cover for themselves")
        return self


class LeaveOut(LeaveCreate):
    """A leave as recorded."""

    id: uuid.UUID


class LeaveList(BaseModel):
    """The unit's leaves not yet over."""

    items: list[LeaveOut]


class DeputyUpdate(BaseModel):
    """A pathway's deputy (null: none)."""

    model_config = ConfigDict(extra="forbid")

    deputy_id: uuid.UUID | None


class ReferralDecision(BaseModel):
    """Told to the sending unit's pathway: its referral was accepted or declined (once per
    key); the receiving unit by code, the decline's reason."""

    key: str
    accepted: bool
    to_unit: str
    reason: str | None = None
    actor: str
    occurred_on: date


def note_referral_decision(
    state: PathwayState, decision: ReferralDecision, now: datetime
) -> PathwayState:
    """The receiving unit's decision on the sender's timeline, once per key."""
    if decision.key in state.applied_requests or state.stage is Stage.CLOSED:
        return state
    new = fork(state)
    type_ = "referral_accepted" if decision.accepted else "referral_declined"
    data = {"to_unit": decision.to_unit, "reason": decision.reason}
    seq = record_event(new, type_, decision.occurred_on, decision.actor, now, data)
    new.applied_requests[decision.key] = seq
    return new
