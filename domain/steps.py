"""People's steps: who may take which step when, and what each step changes (DESIGN.md §4).

Every function is pure: the workflow calls `take_step` from its Update validator (to refuse) and
from its handler (to apply), and the rules are tested without Temporal.
"""

from __future__ import annotations

from datetime import date, datetime

from domain import attendance, cis, corrections, exits, kis
from domain.actions import CorrectDay
from domain.calendar import local_date, period_end
from domain.deadlines import drop_deadlines, reach_deadlines, set_deadline
from domain.eligibility import Exclusion, check_cis_entry, check_kis_entry
from domain.errors import Forbidden, InvalidInput, StepNotAllowed
from domain.pathway import (
    LAW_VERSION,
    SYSTEM_ACTOR,
    CisEpisode,
    CooperativeNews,
    Deadline,
    DeadlineKind,
    Effect,
    EligibilityChange,
    Guard,
    PathwayInput,
    PathwayState,
    StepRequest,
    fork,
    record_event,
)
from domain.roles import Role
from domain.rulebook import rulebook_for
from domain.stages import (
    CIS_OPEN,
    FIRST_STAGE,
    HEAD_ACTS,
    KIS_OPEN,
    STEPS,
    Programme,
    Stage,
    step_rule,
)


def start_pathway(
    pathway_id: str,
    participant_id: str,
    programme: Programme,
    started_on: date,
    now: datetime,
    exclusions: list[Exclusion] | None = None,
) -> PathwayState:
    """A new pathway at its first stage, with the deadlines its rulebook sets."""
    if started_on > local_date(now):
        raise InvalidInput("start_date_in_future", "The start date may not be in the future.")
    if programme not in FIRST_STAGE:
        raise InvalidInput(
            "programme_not_available", f"Programme {programme} is not available yet."
        )
    barred = exclusions or []
    (check_cis_entry if programme is Programme.CIS else check_kis_entry)(barred)
    rules = rulebook_for(started_on)
    state = PathwayState(
        pathway_id=pathway_id,
        participant_id=participant_id,
        programme=programme,
        rulebook_key=rules.key,
        started_on=started_on,
        stage=FIRST_STAGE[programme],
        exclusions=sorted(set(barred)),
    )
    if programme is Programme.CIS:
        state.cis = CisEpisode(referred_on=started_on)
    if programme is Programme.KIS:
        six_months = period_end(started_on, rules.kis_graduate_min_months)
        state.deadlines.append(Deadline(kind=DeadlineKind.KIS_SIX_MONTHS, due_on=six_months))
    record_event(state, "pathway_started", started_on, SYSTEM_ACTOR, now, {"programme": programme})
    return state


def first_state(start: PathwayInput, now: datetime) -> PathwayState:
    """The state a pathway starts in, at the moment it was requested (else `now`): its first
    stage, and past the steps of its history when it has one (an imported case)."""
    at = start.requested_at or now
    state = start_pathway(
        start.pathway_id,
        start.participant_id,
        start.programme,
        start.started_on,
        at,
        start.exclusions,
    )
    state = reach_deadlines(state, at)
    if not start.history:
        return state
    for request in start.history:
        state = next_step(state, request, at)
    return reach_deadlines(state, at)


def next_step(state: PathwayState, request: StepRequest, now: datetime) -> PathwayState:
    """A step taken `now`: the clock first (deadlines reached by now), then the step."""
    return take_step(reach_deadlines(state, now), request, now)


def check_role(action_type: str, role: Role, law_version: int = LAW_VERSION) -> None:
    """Refuse a step the role may never take, whatever the stage (HTTP 403)."""
    step = step_rule(action_type, law_version)
    if step is not None and role not in step.roles:
        raise Forbidden("role_not_allowed", f"A {role} may not take the step {action_type}.")


def take_step(state: PathwayState, request: StepRequest, now: datetime) -> PathwayState:
    """Apply a person's step to a copy of the state, or raise why it is not allowed."""
    action = request.action
    check_role(action.type, request.role, state.law_version)
    _check_stage(state, action.type)
    correction = isinstance(action, CorrectDay)
    if isinstance(action, CorrectDay):
        for involved in sorted(corrections.steps_involved(state, action)):
            check_role(involved, request.role, state.law_version)
    occurred_on = _check_date(state, action.occurred_on, now, back_dated=correction)
    new = fork(state)
    data = _EFFECTS[action.type](new, action, occurred_on)
    if new.day_exact and action.type in HEAD_ACTS:
        drop_deadlines(new, DeadlineKind.HEAD_DECISION)  # the head has decided
    step = step_rule(action.type, state.law_version)
    if step is not None and step.leads_to is not None:
        new.stage = step.leads_to
    seq = record_event(new, action.type, occurred_on, request.actor, now, data)
    if request.request_id:
        new.applied_requests[request.request_id] = seq
    return new


def allowed_actions(state: PathwayState, role: Role) -> list[str]:
    """Steps the role may take now (payload rules still apply)."""
    allowed = []
    for action_type in STEPS:
        step = step_rule(action_type, state.law_version)
        if step is None or role not in step.roles:
            continue
        try:
            _check_stage(state, action_type)
        except StepNotAllowed:
            continue
        allowed.append(action_type)
    return allowed


# --- guards -------------------------------------------------------------------------------------


def _check_stage(state: PathwayState, action_type: str) -> None:
    step = step_rule(action_type, state.law_version)
    if step is None or state.stage not in step.allowed_from:
        raise StepNotAllowed(
            "step_not_allowed",
            f"The step {action_type} is not allowed in stage {state.stage}.",
            {"stage": state.stage, "action": action_type},
        )
    guard = _GUARDS.get(action_type)
    if guard is not None:
        guard(state)


def _check_date(
    state: PathwayState, occurred_on: date | None, now: datetime, back_dated: bool = False
) -> date:
    """Not in the future; not before the last step, unless the step is a correction of a day
    (dated on the day it corrects)."""
    today = local_date(now)
    day = occurred_on or today
    if day > today:
        raise InvalidInput(
            "occurred_on_in_future",
            "The date of a step may not be in the future.",
            {"occurred_on": day.isoformat(), "today": today.isoformat()},
        )
    previous = state.last_step_on
    if day < previous and not back_dated:
        raise InvalidInput(
            "occurred_on_before_previous_step",
            f"The date of a step may not be before the previous step ({previous}).",
            {"occurred_on": day.isoformat(), "previous_step_on": previous.isoformat()},
        )
    return day


_EFFECTS: dict[str, Effect] = {
    **kis.EFFECTS,
    **attendance.EFFECTS,
    **cis.EFFECTS,
    **exits.EFFECTS,
    **corrections.EFFECTS,
}
_GUARDS: dict[str, Guard] = {**kis.GUARDS, **cis.GUARDS, **exits.GUARDS, **corrections.GUARDS}


def note_eligibility(state: PathwayState, change: EligibilityChange, now: datetime) -> PathwayState:
    """New exclusions recorded: kept, and a task for the head when they bar the programme now.

    Never an automatic exit (art. 1 ust. 3: a right may be contested or short-lived).
    """
    if state.stage is Stage.CLOSED or not state.day_exact:
        return state
    new = fork(state)
    new.exclusions = sorted(set(change.exclusions))
    barred = _barred_now(new)
    on = max(change.occurred_on, new.last_step_on)
    record_event(
        new,
        "eligibility_changed",
        on,
        SYSTEM_ACTOR,
        now,
        {"exclusions": [str(e) for e in new.exclusions], "barred": bool(barred)},
    )
    set_deadline(new, DeadlineKind.ELIGIBILITY_REVIEW, on if barred else None)
    return new


def _barred_now(state: PathwayState) -> bool:
    check = check_cis_entry if state.stage in CIS_OPEN else check_kis_entry
    if state.stage not in CIS_OPEN | KIS_OPEN:
        return False
    try:
        check(state.exclusions)
    except StepNotAllowed:
        return True
    return False


def note_cooperative_news(
    state: PathwayState, news: CooperativeNews, now: datetime
) -> PathwayState:
    """Record on the timeline a step of the participant's cooperative; closed pathways ignore it."""
    if state.stage is Stage.CLOSED:
        return state
    new = fork(state)
    record_event(
        new,
        f"cooperative_{news.step}",
        news.occurred_on,
        SYSTEM_ACTOR,
        now,
        {"cooperative_id": news.cooperative_id},
    )
    return new
