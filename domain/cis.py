"""The CIS episode's own steps: IPZS, trial, extension, days off, bonus, job start, completion.

Law: u.z.s. art. 12-16 (domain.md §2.2-§2.8, §10). Every number comes from the rulebook of the
day that decides it (domain/law_parameters.py): the periods from admission, an extension and a
day off from the head's decision, a bonus's cap from its month. Periods end as art. 112 k.c. says
(domain/calendar.py, PERIOD_CONVENTION).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.benefits import monthly_amount
from domain.calendar import add_days, add_months, period_end
from domain.deadlines import drop_deadlines, open_outcome_window, set_deadline
from domain.eligibility import check_cis_entry
from domain.errors import Conflict, StepNotAllowed
from domain.pathway import CisEpisode, DeadlineKind, Effect, Guard, PathwayState
from domain.rulebook import rulebook_for
from domain.stages import STEPS


def participation_end(state: PathwayState) -> date:
    """The last day of participation: 12 months from admission, plus extensions (art. 15)."""
    cis = _admitted(state)
    assert cis.admitted_on is not None
    months = state.rules(cis.admitted_on).cis_base_period_months + cis.extension_months
    return state.period_end(cis.admitted_on, months)


def _sign_ipzs(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    if state.day_exact:
        check_cis_entry(state.exclusions)
    cis = state.cis or CisEpisode(referred_on=state.started_on)
    cis.admitted_on = on
    state.cis = cis
    rules = rulebook_for(on)  # recorded as the rules of the day of admission
    state.rulebook_key = rules.key
    trial = state.rules(on).cis_trial_max_months
    set_deadline(state, DeadlineKind.TRIAL_END, state.period_end(on, trial))
    _set_end(state)
    return (
        {"summary": action.summary, "rulebook": rules.key}
        if action.summary
        else {"rulebook": rules.key}
    )


def _amend_ipzs(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    return {"summary": action.summary} if action.summary else {}


def _pass_trial(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    _admitted(state).trial_passed_on = on
    drop_deadlines(state, DeadlineKind.TRIAL_END)
    return {}


def _extend(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    cis = _admitted(state)
    rules = state.rules(on)  # the head's decision: the law of its day
    if on > participation_end(state):
        raise StepNotAllowed(
            "participation_ended", "Participation has already ended; it can no longer be extended."
        )
    total = cis.extension_months + action.months
    if total > rules.cis_extension_max_months:
        raise Conflict(
            "limit_exceeded",
            f"Extensions may add at most {rules.cis_extension_max_months} months "
            f"({rules.cis_base_period_months + rules.cis_extension_max_months} in all); "
            f"{cis.extension_months} are already granted.",
            {"granted_months": cis.extension_months, "max_months": rules.cis_extension_max_months},
        )
    cis.extension_months = total
    end = _set_end(state)
    return {
        "months": action.months,
        "justification": action.justification,
        "participation_end": end.isoformat(),
    }


def _grant_day_off(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    cis = _admitted(state)
    allowed = state.rules(on).cis_days_off_max
    if cis.days_off >= allowed:
        raise Conflict(
            "limit_exceeded",
            f"All {allowed} days off of the participation are used.",
            {"used": cis.days_off, "max": allowed},
        )
    cis.days_off += 1
    cis.unexcused_streak = 0
    drop_deadlines(state, DeadlineKind.ABANDONMENT_REVIEW)
    return {"days_off_used": cis.days_off, "days_off_left": allowed - cis.days_off}


def _award_bonus(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    rules = state.rules(on)
    month_rate = state.rules(on.replace(day=1)) if state.day_exact else rules
    cap = monthly_amount(month_rate, on.replace(day=1), in_trial=False) * rules.cis_bonus_cap_pct
    cap = cap / 100
    earlier = sum(
        (
            Decimal(e.data["amount"])
            for e in state.timeline
            if e.type == "award_bonus"
            and (e.occurred_on.year, e.occurred_on.month) == (on.year, on.month)
        ),
        Decimal(0),
    )
    if earlier + action.amount > cap:
        raise Conflict(
            "limit_exceeded",
            f"Bonuses in a month may reach {rules.cis_bonus_cap_pct}% of the benefit "
            f"(PLN {cap:.2f}); PLN {earlier:.2f} is already awarded this month.",
            {"cap": f"{cap:.2f}", "already_awarded": f"{earlier:.2f}"},
        )
    return {"amount": str(action.amount)}


def _job_start(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    _admitted(state).job_started_on = on
    drop_deadlines(
        state,
        DeadlineKind.TRIAL_END,
        DeadlineKind.PARTICIPATION_END,
        DeadlineKind.EXTENSION_DECISION,
        DeadlineKind.ABANDONMENT_REVIEW,
    )
    months = state.rules(on).ipzs_follow_up_max_months
    end = period_end(on, months) if state.day_exact else add_months(on, months)
    set_deadline(state, DeadlineKind.FOLLOW_UP_END, end)
    data = {
        "contract_months": action.contract_months,
        "fte": str(action.fte) if action.fte is not None else None,
        "self_employed": action.self_employed,
        "follow_up_end": end.isoformat(),
    }
    if state.day_exact:
        data |= {"contract_type": action.work_type, "open_ended": action.open_ended}
    return data


def _complete(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.graduate = True  # the certificate makes an absolwent CIS (art. 2 pkt 1a, 13 ust. 5a)
    open_outcome_window(state, "cis_completed", on)
    return {"certificate_issued": True, "graduate": True}


def _set_end(state: PathwayState) -> date:
    end = participation_end(state)
    set_deadline(state, DeadlineKind.PARTICIPATION_END, end)
    assert state.cis is not None and state.cis.admitted_on is not None
    warning = state.rules(state.cis.admitted_on).cis_extension_decision_days_before_end
    set_deadline(state, DeadlineKind.EXTENSION_DECISION, add_days(end, -warning))
    return end


def _admitted(state: PathwayState) -> CisEpisode:
    if state.cis is None or state.cis.admitted_on is None:
        raise StepNotAllowed("not_admitted", "The participant has not been admitted to a CIS.")
    return state.cis


def _requires_admission(state: PathwayState) -> None:
    _admitted(state)


def _prepare(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    # The head's act must be possible now; the caseworker's draft becomes the head's task.
    if state.stage not in STEPS[action.decision].allowed_from:
        raise StepNotAllowed(
            "step_not_allowed",
            f"The decision {action.decision} is not possible in stage {state.stage}.",
            {"stage": state.stage, "decision": action.decision},
        )
    set_deadline(state, DeadlineKind.HEAD_DECISION, on)
    return {"decision": action.decision}


EFFECTS: dict[str, Effect] = {
    "sign_ipzs": _sign_ipzs,
    "amend_ipzs": _amend_ipzs,
    "pass_trial": _pass_trial,
    "extend": _extend,
    "grant_day_off": _grant_day_off,
    "award_bonus": _award_bonus,
    "record_job_start": _job_start,
    "complete_cis": _complete,
    "prepare_decision": _prepare,
}
GUARDS: dict[str, Guard] = {
    kind: _requires_admission
    for kind in (
        "amend_ipzs",
        "pass_trial",
        "extend",
        "grant_day_off",
        "award_bonus",
        "record_job_start",
        "complete_cis",
    )
}
