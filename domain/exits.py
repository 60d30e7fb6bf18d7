"""Leaving and moving on: withdrawal, termination, referrals, the 90-day outcome (§2.7, §6.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain import actions as a
from domain.calendar import add_days, add_months
from domain.deadlines import open_outcome_window, set_deadline
from domain.errors import InvalidInput, StepNotAllowed
from domain.pathway import (
    CisEpisode,
    DeadlineKind,
    Effect,
    Guard,
    OutcomeStatus,
    PathwayState,
)
from domain.rulebook import Rulebook
from domain.stages import CIS_AFTER_TRIAL, COMPLETED, EXITED, KIS_OPEN, Programme, Stage


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


def _withdraw(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    open_outcome_window(state, "withdrawn", on)
    return {"reason": action.reason} if action.reason else {}


def _terminate(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    open_outcome_window(state, f"terminated_{action.ground}", on)
    # The decision can be challenged before the administrative court (art. 13 ust. 4a-4b).
    window = add_days(on, state.rulebook.cis_complaint_window_days)
    set_deadline(state, DeadlineKind.COMPLAINT_WINDOW, window)
    data = {"ground": action.ground, "complaint_window_end": window.isoformat()}
    return {**data, "reason": action.reason} if action.reason else data


def _refer(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    target = action.to
    data: dict[str, Any] = {"to": target, "from_stage": state.stage}
    if target is a.ReferralTarget.CIS:
        _refuse_unless(state.stage in KIS_OPEN | {Stage.KIS_COMPLETED}, target, state)
        state.programme = Programme.CIS
        state.stage = Stage.CIS_REFERRED
        state.cis = CisEpisode(referred_on=on)
        state.deadlines = []
        state.exit_kind = state.exited_on = state.outcome = None
        state.graduate = False
    elif target is a.ReferralTarget.SUPPORTED_EMPLOYMENT:
        _refuse_unless(state.stage in COMPLETED | CIS_AFTER_TRIAL, target, state)
        if state.stage in CIS_AFTER_TRIAL:
            _after_enough_participation(state, on)
            open_outcome_window(state, "referred_supported_employment", on)
        state.stage = Stage.SUPPORTED_EMPLOYMENT
    else:  # a cooperative or a job: recorded; the outcome window already runs
        _refuse_unless(state.stage in COMPLETED, target, state)
    return data


def _after_enough_participation(state: PathwayState, on: date) -> None:
    # Before the end only in justified cases, never before 6 months of participation (art. 16).
    assert state.cis is not None and state.cis.admitted_on is not None
    months = state.rulebook.sw_earliest_months
    earliest = add_months(state.cis.admitted_on, months)
    if on < earliest:
        raise StepNotAllowed(
            "too_early_for_supported_employment",
            f"Supported employment may be requested after {months} months of participation, "
            f"from {earliest}.",
            {"earliest": earliest.isoformat()},
        )


def _refuse_unless(allowed: bool, target: a.ReferralTarget, state: PathwayState) -> None:
    if not allowed:
        raise StepNotAllowed(
            "referral_not_allowed",
            f"A referral to {target} is not allowed in stage {state.stage}.",
            {"stage": state.stage, "to": target},
        )


def _employer_agreement(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    end = add_months(on, state.rulebook.sw_employer_commitment_months)
    set_deadline(state, DeadlineKind.COMMITMENT_END, end)
    return {"employer": action.employer, "commitment_end": end.isoformat()}


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


def _outcome_open(state: PathwayState) -> None:
    if state.outcome is OutcomeStatus.EMPLOYED:
        raise StepNotAllowed("already_recorded", "A qualifying outcome is already recorded.")
    if state.exited_on is None or state.stage not in EXITED:
        raise StepNotAllowed("no_exit_yet", "The outcome is recorded after an exit.")


EFFECTS: dict[str, Effect] = {
    "withdraw": _withdraw,
    "terminate": _terminate,
    "refer": _refer,
    "record_employer_agreement": _employer_agreement,
    "record_outcome": _outcome,
}
GUARDS: dict[str, Guard] = {"record_outcome": _outcome_open}
