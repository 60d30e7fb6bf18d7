"""Leaving and moving on: withdrawal, termination, referrals, the 90-day outcome (§2.7, §6.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain import actions as a
from domain.calendar import add_days, add_months, period_end
from domain.deadlines import drop_deadlines, open_outcome_window, set_deadline
from domain.eligibility import check_cis_entry
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
    """Employment: self-employment; an employment contract open-ended or of at least the
    rulebook's months at its share of full time; a civil-law contract of those months where the
    rulebook counts it (§6.1, §10 'outcome')."""
    if not outcome.employed:
        return OutcomeStatus.NOT_EMPLOYED
    kind = outcome.work_type
    if kind is a.ContractType.SELF_EMPLOYMENT:
        return OutcomeStatus.EMPLOYED
    long_enough = outcome.open_ended or (
        (outcome.contract_months or 0) >= rules.outcome_min_contract_months
    )
    if kind is a.ContractType.CIVIL_LAW:
        counts = rules.outcome_civil_law_qualifies and long_enough
    else:
        counts = long_enough and (outcome.fte or Decimal(0)) >= rules.outcome_min_fte
    return OutcomeStatus.EMPLOYED if counts else OutcomeStatus.EMPLOYED_NOT_QUALIFYING


def _withdraw(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    open_outcome_window(state, "withdrawn", on)
    return {"reason": action.reason} if action.reason else {}


def _terminate(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    data: dict[str, Any] = {"ground": action.ground}
    if state.day_exact:
        # An administrative decision states its reasons (k.p.a. art. 107); the complaint window
        # opens when it is delivered (record_decision_delivery), not on the day it is made.
        if not (action.reason or "").strip():
            raise InvalidInput(
                "reasons_required",
                "A decision ending participation must state its reasons (k.p.a. art. 107).",
            )
        open_outcome_window(state, f"terminated_{action.ground}", on)
        return {**data, "reason": action.reason}
    open_outcome_window(state, f"terminated_{action.ground}", on)
    window = add_days(on, state.rulebook.cis_complaint_window_days)
    set_deadline(state, DeadlineKind.COMPLAINT_WINDOW, window)
    data["complaint_window_end"] = window.isoformat()
    return {**data, "reason": action.reason} if action.reason else data


def _delivered(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    """The decision reached the person: 30 days to complain to the administrative court."""
    assert state.cis is not None and state.exited_on is not None
    if on < state.exited_on:
        raise InvalidInput(
            "delivered_before_decision",
            f"The decision was made on {state.exited_on}; it cannot be delivered before.",
        )
    state.cis.decision_delivered_on = on
    window = add_days(on, state.rules(on).cis_complaint_window_days)
    set_deadline(state, DeadlineKind.COMPLAINT_WINDOW, window)
    return {"complaint_window_end": window.isoformat()}


def _not_yet_delivered(state: PathwayState) -> None:
    if not (state.exit_kind or "").startswith("terminated_") or state.cis is None:
        raise StepNotAllowed("no_decision", "No decision ending participation was recorded.")
    if state.cis.decision_delivered_on is not None:
        raise StepNotAllowed(
            "already_recorded",
            f"The decision was delivered on {state.cis.decision_delivered_on}.",
        )


def _refer(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    target = action.to
    data: dict[str, Any] = {"to": target, "from_stage": state.stage}
    if target is a.ReferralTarget.CIS:
        _refuse_unless(state.stage in KIS_OPEN | {Stage.KIS_COMPLETED}, target, state)
        if state.day_exact:
            check_cis_entry(state.exclusions)
        state.programme = Programme.CIS
        state.stage = Stage.CIS_REFERRED
        state.cis = CisEpisode(referred_on=on)
        state.deadlines = []
        state.exit_kind = state.exited_on = state.outcome = None
        state.graduate = False
    elif target is a.ReferralTarget.SUPPORTED_EMPLOYMENT:
        if state.day_exact:
            _supported_employment_open(state, on)
        else:
            _refuse_unless(state.stage in COMPLETED | CIS_AFTER_TRIAL, target, state)
            if state.stage in CIS_AFTER_TRIAL:
                _after_enough_participation(state, on)
        if state.stage in CIS_AFTER_TRIAL | KIS_OPEN:
            open_outcome_window(state, "referred_supported_employment", on)
        state.stage = Stage.SUPPORTED_EMPLOYMENT
    else:  # a cooperative or a job: recorded; the outcome window already runs
        _refuse_unless(state.stage in COMPLETED, target, state)
    return data


def _supported_employment_open(state: PathwayState, on: date) -> None:
    """Art. 16 (2022 wording, §10): a participant after 6 months, or a graduate, of a KIS or CIS.

    A CIS graduate holds the certificate; a KIS completer who lasted 6 months (or graduated)
    qualifies; a three-month KIS non-graduate does not.
    """
    target = a.ReferralTarget.SUPPORTED_EMPLOYMENT
    if state.stage is Stage.CIS_COMPLETED:
        return
    if state.stage is Stage.KIS_COMPLETED and state.graduate:
        return
    if state.stage in CIS_AFTER_TRIAL:
        _after_enough_participation(state, on)
        return
    if state.stage in {Stage.KIS_ACTIVE, Stage.KIS_COMPLETED}:
        months = state.rules(on).sw_earliest_months
        until = state.exited_on or on
        earliest = period_end(state.started_on, months)
        if until < earliest:
            raise StepNotAllowed(
                "too_early_for_supported_employment",
                f"Supported employment is open to a KIS participant after {months} months of "
                f"participation (from {earliest}), or to a KIS graduate.",
                {"earliest": earliest.isoformat()},
            )
        return
    _refuse_unless(False, target, state)


def _after_enough_participation(state: PathwayState, on: date) -> None:
    # Before the end only in justified cases, never before 6 months of participation (art. 16).
    assert state.cis is not None and state.cis.admitted_on is not None
    months = state.rules(on).sw_earliest_months
    earliest = (period_end if state.day_exact else add_months)(state.cis.admitted_on, months)
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
    rules = state.rules(on)  # the commitment by the rule in force on the agreement's date
    months = rules.sw_employer_commitment_months
    end = period_end(on, months) if state.day_exact else add_months(on, months)
    set_deadline(state, DeadlineKind.COMMITMENT_END, end)
    data: dict[str, Any] = {"employer": action.employer, "commitment_end": end.isoformat()}
    # Employment under an employment contract, for the commitment's months: it counts as
    # employment when agreed inside the outcome window (§10 'supported employment').
    if state.day_exact and state.exited_on is not None and on <= _window_end(state):
        state.outcome = OutcomeStatus.EMPLOYED
        drop_deadlines(state, DeadlineKind.OUTCOME_WINDOW, DeadlineKind.EVIDENCE_END)
        data["classified_as"] = OutcomeStatus.EMPLOYED
    return data


def _window_end(state: PathwayState) -> date:
    assert state.exited_on is not None
    return add_days(state.exited_on, state.rules(state.exited_on).outcome_window_days)


def _outcome(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    window_end = _window_end(state)
    if on > window_end:
        raise InvalidInput(
            "outcome_after_window",
            f"The outcome window ended on {window_end}; evidence must be dated inside it.",
            {"window_end": str(window_end)},
        )
    assert state.exited_on is not None
    status = classify_outcome(action, state.rules(state.exited_on))
    state.outcome = status
    # Only qualifying work ends the window early; otherwise it stays open for a later job (§6.1).
    if status is OutcomeStatus.EMPLOYED:
        state.stage = Stage.CLOSED
        if state.day_exact:  # a complaint window may still run
            drop_deadlines(state, DeadlineKind.OUTCOME_WINDOW, DeadlineKind.EVIDENCE_END)
        else:
            state.deadlines = []
    data = {
        "employed": action.employed,
        "contract_months": action.contract_months,
        "fte": str(action.fte) if action.fte is not None else None,
        "self_employed": action.self_employed,
        "classified_as": status,
    }
    if state.day_exact:
        data |= {"contract_type": action.work_type, "open_ended": action.open_ended}
    return data


def _outcome_open(state: PathwayState) -> None:
    if state.outcome is OutcomeStatus.EMPLOYED:
        raise StepNotAllowed("already_recorded", "A qualifying outcome is already recorded.")
    if state.exited_on is None:
        raise StepNotAllowed("no_exit_yet", "The outcome is recorded after an exit.")
    late = state.stage is Stage.CLOSED and any(
        d.kind is DeadlineKind.EVIDENCE_END for d in state.deadlines
    )
    if state.stage not in EXITED and not late:
        raise StepNotAllowed("no_exit_yet", "The outcome is recorded after an exit.")


EFFECTS: dict[str, Effect] = {
    "withdraw": _withdraw,
    "terminate": _terminate,
    "record_decision_delivery": _delivered,
    "refer": _refer,
    "record_employer_agreement": _employer_agreement,
    "record_outcome": _outcome,
}
GUARDS: dict[str, Guard] = {
    "record_outcome": _outcome_open,
    "record_decision_delivery": _not_yet_delivered,
}
