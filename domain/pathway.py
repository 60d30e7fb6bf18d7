"""A participant's pathway: its state, the steps that change it, and the deadlines it keeps.

Everything here is a pure function of the state, the step and the moment, so the workflow can
call it from a validator and a handler alike and the rules are testable without Temporal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain import actions as a
from domain.calendar import add_days, add_months, local_date, start_of_local_day
from domain.errors import Forbidden, InvalidInput, StepNotAllowed
from domain.roles import Role
from domain.rulebook import Rulebook, rulebook_by_key, rulebook_for
from domain.stages import FIRST_STAGE, STEPS, Programme, Stage

SYSTEM_ACTOR = "system"


class DeadlineKind(StrEnum):
    """Deadlines the engine keeps and reminds about."""

    CONTRACT_REVIEW = "contract_review"
    KIS_SIX_MONTHS = "kis_six_months"
    OUTCOME_WINDOW = "outcome_window"


# Milestones pass and disappear; tasks stay, overdue, until someone acts.
_MILESTONES = frozenset({DeadlineKind.KIS_SIX_MONTHS, DeadlineKind.OUTCOME_WINDOW})
# A threshold is reached when its day begins (six months are complete on that day); a task or a
# window runs to the end of its day (a review due today is not overdue yet; day 90 is inside).
_REACHED_WHEN_DAY_BEGINS = frozenset({DeadlineKind.KIS_SIX_MONTHS})


class Deadline(BaseModel):
    """A date the pathway waits for."""

    kind: DeadlineKind
    due_on: date
    overdue: bool = False


class Event(BaseModel):
    """One recorded fact on the timeline; `seq` orders it and keys its projection."""

    seq: int
    type: str
    occurred_on: date
    actor: str
    recorded_at: datetime
    data: dict[str, Any] = Field(default_factory=dict)


class OutcomeStatus(StrEnum):
    """The 90-day employment outcome (domain.md §6.1)."""

    EMPLOYED = "employed"
    EMPLOYED_NOT_QUALIFYING = "employed_not_qualifying"
    NOT_EMPLOYED = "not_employed"
    NOT_REPORTED = "not_reported"


class Totals(BaseModel):
    """Running counts a caseworker and the reports need."""

    attendance_days: int = 0
    attendance_hours: Decimal = Decimal(0)
    absences: dict[a.AbsenceKind, int] = Field(default_factory=dict)
    psu_hours: Decimal = Decimal(0)
    contract_reviews: int = 0


class PathwayState(BaseModel):
    """Everything the workflow knows about one pathway. No personal data: ids and facts only."""

    model_config = ConfigDict(validate_assignment=False)

    pathway_id: str
    participant_id: str
    programme: Programme
    rulebook_key: str
    started_on: date
    stage: Stage
    graduate: bool = False
    contract_fulfilled: bool = False
    exit_kind: str | None = None
    exited_on: date | None = None
    outcome: OutcomeStatus | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    timeline: list[Event] = Field(default_factory=list)
    totals: Totals = Field(default_factory=Totals)
    # Idempotency keys already applied -> the seq they recorded.
    applied_requests: dict[str, int] = Field(default_factory=dict)
    # Pathways started before this rule reached tasks and windows when their day began.
    tasks_run_to_end_of_day: bool = True

    @property
    def rulebook(self) -> Rulebook:
        """The rules in force when the episode started."""
        return rulebook_by_key(self.rulebook_key)

    @property
    def last_step_on(self) -> date:
        """The business date of the last step a person took (system events do not count)."""
        people = [e.occurred_on for e in self.timeline if e.actor != SYSTEM_ACTOR]
        return max(people, default=self.started_on)


class StepRequest(BaseModel):
    """A step as it reaches the workflow: the action, who takes it, and its idempotency key."""

    action: a.Action
    actor: str
    role: Role
    request_id: str | None = None


class DeadlineView(BaseModel):
    """A deadline as the API shows it."""

    kind: DeadlineKind
    due_on: date
    overdue: bool


class PathwayView(BaseModel):
    """The pathway's live state, as `GET /pathways/{id}` answers."""

    id: str
    participant_id: str
    programme: Programme
    stage: Stage
    started_on: date
    graduate: bool
    rulebook: str
    outcome: OutcomeStatus | None
    deadlines: list[DeadlineView]
    allowed_actions: list[str]
    totals: Totals
    timeline: list[Event]


def start_pathway(
    pathway_id: str, participant_id: str, programme: Programme, started_on: date, now: datetime
) -> PathwayState:
    """A new pathway at its first stage, with the deadlines its rulebook sets."""
    if started_on > local_date(now):
        raise InvalidInput("start_date_in_future", "The start date may not be in the future.")
    if programme not in FIRST_STAGE:
        raise InvalidInput(
            "programme_not_available", f"Programme {programme} is not available yet."
        )
    rules = rulebook_for(started_on)
    state = PathwayState(
        pathway_id=pathway_id,
        participant_id=participant_id,
        programme=programme,
        rulebook_key=rules.key,
        started_on=started_on,
        stage=FIRST_STAGE[programme],
    )
    if programme is Programme.KIS:
        six_months = add_months(started_on, rules.kis_graduate_min_months)
        state.deadlines.append(Deadline(kind=DeadlineKind.KIS_SIX_MONTHS, due_on=six_months))
    _record(state, "pathway_started", started_on, SYSTEM_ACTOR, now, {"programme": programme})
    return state


def check_role(action_type: str, role: Role) -> None:
    """Refuse a step the role may never take, whatever the stage (HTTP 403)."""
    step = STEPS.get(action_type)
    if step is not None and role not in step.roles:
        raise Forbidden("role_not_allowed", f"A {role} may not take the step {action_type}.")


def take_step(state: PathwayState, request: StepRequest, now: datetime) -> PathwayState:
    """Apply a person's step to a copy of the state, or raise why it is not allowed."""
    action = request.action
    check_role(action.type, request.role)
    _check_stage(state, action.type)
    occurred_on = _check_date(state, action.occurred_on, now)
    new = state.model_copy(deep=True)
    data = _EFFECTS[action.type](new, action, occurred_on)
    step = STEPS[action.type]
    if step.leads_to is not None:
        new.stage = step.leads_to
    seq = _record(new, action.type, occurred_on, request.actor, now, data)
    if request.request_id:
        new.applied_requests[request.request_id] = seq
    return new


def reach_deadlines(state: PathwayState, now: datetime) -> PathwayState:
    """Record every deadline whose day has begun; milestones pass, tasks turn overdue."""
    due = [d for d in state.deadlines if not d.overdue and reached_at(d, state) <= now]
    if not due:
        return state
    new = state.model_copy(deep=True)
    for deadline in sorted(due, key=lambda d: d.due_on):
        if deadline.kind is DeadlineKind.OUTCOME_WINDOW:
            new.outcome = new.outcome or OutcomeStatus.NOT_REPORTED
            new.stage = Stage.CLOSED
            new.deadlines = []
            _record(
                new,
                "outcome_window_closed",
                deadline.due_on,
                SYSTEM_ACTOR,
                now,
                {"outcome": new.outcome},
            )
            break
        if deadline.kind in _MILESTONES:
            new.deadlines = [d for d in new.deadlines if d.kind != deadline.kind]
            _record(
                new, "deadline_reached", deadline.due_on, SYSTEM_ACTOR, now, {"kind": deadline.kind}
            )
        else:
            for kept in new.deadlines:
                if kept.kind == deadline.kind:
                    kept.overdue = True
            _record(
                new, "deadline_overdue", deadline.due_on, SYSTEM_ACTOR, now, {"kind": deadline.kind}
            )
    return new


def next_wakeup(state: PathwayState) -> datetime | None:
    """When the workflow must next wake up by itself: the earliest deadline not yet reached."""
    pending = [reached_at(d, state) for d in state.deadlines if not d.overdue]
    return min(pending, default=None)


def reached_at(deadline: Deadline, state: PathwayState) -> datetime:
    """The moment a deadline passes: when its day begins for thresholds, when it ends otherwise."""
    if deadline.kind in _REACHED_WHEN_DAY_BEGINS or not state.tasks_run_to_end_of_day:
        return start_of_local_day(deadline.due_on)
    return start_of_local_day(add_days(deadline.due_on, 1))


def allowed_actions(state: PathwayState, role: Role) -> list[str]:
    """Steps the role may take now (payload rules still apply)."""
    allowed = []
    for action_type, step in STEPS.items():
        if role not in step.roles:
            continue
        try:
            _check_stage(state, action_type)
        except StepNotAllowed:
            continue
        allowed.append(action_type)
    return allowed


def view(state: PathwayState, role: Role) -> PathwayView:
    """The state as the API shows it to a caller with `role`."""
    return PathwayView(
        id=state.pathway_id,
        participant_id=state.participant_id,
        programme=state.programme,
        stage=state.stage,
        started_on=state.started_on,
        graduate=state.graduate,
        rulebook=state.rulebook_key,
        outcome=state.outcome,
        deadlines=[DeadlineView(**d.model_dump()) for d in sorted(state.deadlines, key=_by_date)],
        allowed_actions=allowed_actions(state, role),
        totals=state.totals,
        timeline=state.timeline,
    )


def is_finished(state: PathwayState) -> bool:
    """A closed pathway has nothing left to wait for."""
    return state.stage is Stage.CLOSED


def classify_outcome(outcome: a.RecordOutcome, rules: Rulebook) -> OutcomeStatus:
    """Employment counts when self-employed, or ≥ the rulebook's months at ≥ its FTE (§6.1)."""
    if not outcome.employed:
        return OutcomeStatus.NOT_EMPLOYED
    if outcome.self_employed:
        return OutcomeStatus.EMPLOYED
    long_enough = (outcome.contract_months or 0) >= rules.outcome_min_contract_months
    big_enough = (outcome.fte or Decimal(0)) >= rules.outcome_min_fte
    return (
        OutcomeStatus.EMPLOYED
        if long_enough and big_enough
        else OutcomeStatus.EMPLOYED_NOT_QUALIFYING
    )


# --- guards -----------------------------------------------------------------------------------


def _check_stage(state: PathwayState, action_type: str) -> None:
    step = STEPS.get(action_type)
    if step is None or state.stage not in step.allowed_from:
        raise StepNotAllowed(
            "step_not_allowed",
            f"The step {action_type} is not allowed in stage {state.stage}.",
            {"stage": state.stage, "action": action_type},
        )
    guard = _GUARDS.get(action_type)
    if guard is not None:
        guard(state)


def _check_date(state: PathwayState, occurred_on: date | None, now: datetime) -> date:
    today = local_date(now)
    day = occurred_on or today
    if day > today:
        raise InvalidInput(
            "occurred_on_in_future",
            "The date of a step may not be in the future.",
            {"occurred_on": day.isoformat(), "today": today.isoformat()},
        )
    previous = state.last_step_on
    if day < previous:
        raise InvalidInput(
            "occurred_on_before_previous_step",
            f"The date of a step may not be before the previous step ({previous}).",
            {"occurred_on": day.isoformat(), "previous_step_on": previous.isoformat()},
        )
    return day


def _not_yet_fulfilled(state: PathwayState) -> None:
    if state.contract_fulfilled:
        raise StepNotAllowed("already_recorded", "The social contract is already marked fulfilled.")


def _outcome_open(state: PathwayState) -> None:
    if state.outcome is OutcomeStatus.EMPLOYED:
        raise StepNotAllowed("already_recorded", "A qualifying outcome is already recorded.")


_GUARDS: dict[str, Callable[[PathwayState], None]] = {
    "mark_contract_fulfilled": _not_yet_fulfilled,
    "record_outcome": _outcome_open,
}


# --- effects: each changes the (copied) state and returns the event's data ---------------------


def _diagnosis(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    return {"summary": action.summary} if action.summary else {}


def _contract(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    review_on = getattr(action, "review_on", None) or getattr(action, "next_review_on", None)
    if review_on is not None and review_on <= on:
        raise InvalidInput(
            "review_date_not_after_step", "A review date must be after the step's date."
        )
    state.deadlines = [d for d in state.deadlines if d.kind != DeadlineKind.CONTRACT_REVIEW]
    if review_on is not None:
        state.deadlines.append(Deadline(kind=DeadlineKind.CONTRACT_REVIEW, due_on=review_on))
    if action.type == "review_contract":
        state.totals.contract_reviews += 1
    return {"review_on": review_on.isoformat()} if review_on else {}


def _attendance(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.totals.attendance_days += 1
    state.totals.attendance_hours += action.hours
    return {"hours": str(action.hours), "kind": action.kind}


def _absence(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    kind = action.kind
    state.totals.absences[kind] = state.totals.absences.get(kind, 0) + 1
    return {"kind": kind}


def _psu(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.totals.psu_hours += action.hours
    return {"hours": str(action.hours)}


def _fulfilled(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.contract_fulfilled = True
    return {}


def _complete_kis(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    months = state.rulebook.kis_graduate_min_months
    long_enough = on >= add_months(state.started_on, months)
    state.graduate = long_enough and state.contract_fulfilled
    _exit(state, "kis_completed", on)
    return {
        "certificate_issued": True,
        "graduate": state.graduate,
        "lasted_min_months": long_enough,
        "contract_fulfilled": state.contract_fulfilled,
    }


def _withdraw(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    _exit(state, "withdrawn", on)
    return {"reason": action.reason} if action.reason else {}


def _outcome(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    assert state.exited_on is not None
    window_end = add_days(state.exited_on, state.rulebook.outcome_window_days)
    if on > window_end:
        raise InvalidInput(
            "outcome_after_window",
            f"The outcome window ended on {window_end}.",
            {"window_end": str(window_end)},
        )
    status = classify_outcome(action, state.rulebook)
    state.outcome = status
    # Only qualifying work ends the window early; otherwise it stays open for a later job (§6.1).
    if status is OutcomeStatus.EMPLOYED:
        state.stage = Stage.CLOSED
        state.deadlines = []
    return {
        "employed": action.employed,
        "contract_months": action.contract_months,
        "fte": str(action.fte) if action.fte is not None else None,
        "self_employed": action.self_employed,
        "classified_as": status,
    }


def _exit(state: PathwayState, kind: str, on: date) -> None:
    state.exit_kind = kind
    state.exited_on = on
    window = add_days(on, state.rulebook.outcome_window_days)
    state.deadlines = [Deadline(kind=DeadlineKind.OUTCOME_WINDOW, due_on=window)]


_EFFECTS: dict[str, Callable[[PathwayState, Any, date], dict[str, Any]]] = {
    "record_diagnosis": _diagnosis,
    "sign_social_contract": _contract,
    "review_contract": _contract,
    "record_attendance": _attendance,
    "record_absence": _absence,
    "record_psu_hours": _psu,
    "mark_contract_fulfilled": _fulfilled,
    "complete_kis": _complete_kis,
    "withdraw": _withdraw,
    "record_outcome": _outcome,
}


def _record(
    state: PathwayState, type_: str, on: date, actor: str, now: datetime, data: dict[str, Any]
) -> int:
    seq = len(state.timeline) + 1
    state.timeline.append(
        Event(seq=seq, type=type_, occurred_on=on, actor=actor, recorded_at=now, data=data)
    )
    return seq


def _by_date(deadline: Deadline) -> date:
    return deadline.due_on


class PathwaySnapshot(BaseModel):
    """What the read model needs after some events: the current columns and the new events."""

    pathway_id: str
    stage: Stage
    graduate: bool
    outcome: OutcomeStatus | None
    next_due_kind: DeadlineKind | None
    next_due_on: date | None
    closed: bool
    last_seq: int
    events: list[Event]


def snapshot(state: PathwayState, after_seq: int, limit: int) -> PathwaySnapshot:
    """The read-model update for events after `after_seq`, at most `limit` of them."""
    events = state.timeline[after_seq : after_seq + limit]
    upcoming = sorted(state.deadlines, key=_by_date)
    head = upcoming[0] if upcoming else None
    return PathwaySnapshot(
        pathway_id=state.pathway_id,
        stage=state.stage,
        graduate=state.graduate,
        outcome=state.outcome,
        next_due_kind=head.kind if head else None,
        next_due_on=head.due_on if head else None,
        closed=is_finished(state),
        last_seq=events[-1].seq if events else after_seq,
        events=events,
    )
