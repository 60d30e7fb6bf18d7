"""The KIS episode's own steps: diagnosis, the social contract, PSU, completion (art. 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.calendar import period_end
from domain.deadlines import open_outcome_window, set_deadline
from domain.errors import InvalidInput, StepNotAllowed
from domain.pathway import DeadlineKind, Effect, Guard, PathwayState


def _diagnosis(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    return {"summary": action.summary} if action.summary else {}


def _contract(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    review_on = getattr(action, "review_on", None) or getattr(action, "next_review_on", None)
    if review_on is not None and review_on <= on:
        raise InvalidInput(
            "review_date_not_after_step", "A review date must be after the step's date."
        )
    set_deadline(state, DeadlineKind.CONTRACT_REVIEW, review_on)
    if action.type == "review_contract":
        state.totals.contract_reviews += 1
    return {"review_on": review_on.isoformat()} if review_on else {}


def _psu(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.totals.psu_hours += action.hours
    return {"hours": str(action.hours)}


def _fulfilled(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.contract_fulfilled = True
    return {}


def _complete(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    # Absolwent KIS (art. 2 pkt 1b): at least six months, the certificate, the contract fulfilled.
    months = state.rules(state.started_on).kis_graduate_min_months
    long_enough = on >= period_end(state.started_on, months)
    state.graduate = long_enough and state.contract_fulfilled
    open_outcome_window(state, "kis_completed", on)
    return {
        "certificate_issued": True,
        "graduate": state.graduate,
        "lasted_min_months": long_enough,
        "contract_fulfilled": state.contract_fulfilled,
    }


def _not_yet_fulfilled(state: PathwayState) -> None:
    if state.contract_fulfilled:
        raise StepNotAllowed("already_recorded", "The social contract is already marked fulfilled.")


EFFECTS: dict[str, Effect] = {
    "record_diagnosis": _diagnosis,
    "sign_social_contract": _contract,
    "review_contract": _contract,
    "record_psu_hours": _psu,
    "mark_contract_fulfilled": _fulfilled,
    "complete_kis": _complete,
}
GUARDS: dict[str, Guard] = {"mark_contract_fulfilled": _not_yet_fulfilled}
