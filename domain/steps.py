"""People's steps: who may take which step when, and what each step changes (DESIGN.md §4).

Every function is pure: the workflow calls `take_step` from its Update validator (to refuse) and
from its handler (to apply), and the rules are tested without Temporal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain import actions as a
from domain.calendar import add_days, add_months, local_date
from domain.deadlines import open_outcome_window, reach_deadlines
from domain.errors import Forbidden, InvalidInput, StepNotAllowed
from domain.pathway import (
    SYSTEM_ACTOR,
    Deadline,
    DeadlineKind,
    OutcomeStatus,
    PathwayInput,
    PathwayState,
    StepRequest,
    fork,
    record_event,
)
from domain.roles import Role
from domain.rulebook import Rulebook, rulebook_for
from domain.stages import FIRST_STAGE, STEPS, Programme, Stage


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
    record_event(state, "pathway_started", started_on, SYSTEM_ACTOR, now, {"programme": programme})
    return state


def first_state(start: PathwayInput, now: datetime) -> PathwayState:
    """The state a pathway starts in, at the moment it was requested (else `now`)."""
    at = start.requested_at or now
    state = start_pathway(
        start.pathway_id, start.participant_id, start.programme, start.started_on, at
    )
    return reach_deadlines(state, at)


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
    new = fork(state)
    data = _EFFECTS[action.type](new, action, occurred_on)
    step = STEPS[action.type]
    if step.leads_to is not None:
        new.stage = step.leads_to
    seq = record_event(new, action.type, occurred_on, request.actor, now, data)
    if request.request_id:
        new.applied_requests[request.request_id] = seq
    return new


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


# --- guards -------------------------------------------------------------------------------------


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
    open_outcome_window(state, "kis_completed", on)
    return {
        "certificate_issued": True,
        "graduate": state.graduate,
        "lasted_min_months": long_enough,
        "contract_fulfilled": state.contract_fulfilled,
    }


def _withdraw(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    open_outcome_window(state, "withdrawn", on)
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
