"""The pathway's clock: deadlines reached, tasks overdue, the outcome window closing."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import add_days, start_of_local_day
from domain.pathway import (
    SYSTEM_ACTOR,
    Deadline,
    DeadlineKind,
    OutcomeStatus,
    PathwayState,
    fork,
    record_event,
)
from domain.stages import Stage

# Milestones pass and disappear; tasks stay, overdue, until someone acts.
_MILESTONES = frozenset(
    {
        DeadlineKind.KIS_SIX_MONTHS,
        DeadlineKind.COMPLAINT_WINDOW,
        DeadlineKind.COMMITMENT_END,
        DeadlineKind.OUTCOME_WINDOW,
        DeadlineKind.EVIDENCE_END,
    }
)
# A threshold is reached when its day begins (six months are complete on that day); a task or a
# window runs to the end of its day (a review due today is not overdue yet; day 90 is inside).
_REACHED_WHEN_DAY_BEGINS = frozenset({DeadlineKind.KIS_SIX_MONTHS})


def reach_deadlines(state: PathwayState, now: datetime) -> PathwayState:
    """Record every deadline whose day has begun; milestones pass, tasks turn overdue."""
    due = [d for d in state.deadlines if not d.overdue and reached_at(d, state) <= now]
    if not due:
        return state
    new = fork(state)
    for deadline in sorted(due, key=lambda d: d.due_on):
        if deadline.kind is DeadlineKind.OUTCOME_WINDOW and not state.day_exact:
            # Law version 1: the window's close swept every other deadline away, and ended there.
            new.outcome = new.outcome or OutcomeStatus.NOT_REPORTED
            new.stage = Stage.CLOSED
            new.deadlines = []
            _note(new, "outcome_window_closed", deadline, now, {"outcome": new.outcome})
            break
        _reach(new, deadline, now)
    return new


def _reach(state: PathwayState, deadline: Deadline, now: datetime) -> None:
    """One deadline reached. Since law version 2 the outcome window no longer sweeps the others
    away, so a complaint window or an employer's commitment keeps running after it."""
    if deadline.kind not in {d.kind for d in state.deadlines}:
        return
    if deadline.kind is DeadlineKind.OUTCOME_WINDOW:
        _close_outcome_window(state, deadline, now)
    elif deadline.kind in _MILESTONES:
        drop_deadlines(state, deadline.kind)
        _note(state, "deadline_reached", deadline, now, {"kind": deadline.kind})
        supported = state.stage is Stage.SUPPORTED_EMPLOYMENT and state.exited_on is not None
        if state.day_exact and deadline.kind is DeadlineKind.COMMITMENT_END and supported:
            state.stage = Stage.CLOSED  # the employer's commitment is over: the episode ends
            drop_deadlines(state, DeadlineKind.OUTCOME_WINDOW)
    else:
        for kept in state.deadlines:
            if kept.kind == deadline.kind:
                kept.overdue = True
        _note(state, "deadline_overdue", deadline, now, {"kind": deadline.kind})


def _note(
    state: PathwayState, type_: str, deadline: Deadline, now: datetime, data: dict[str, object]
) -> None:
    record_event(state, type_, deadline.due_on, SYSTEM_ACTOR, now, dict(data))


def _close_outcome_window(state: PathwayState, deadline: Deadline, now: datetime) -> None:
    """Day 90 over: the outcome is what was recorded (else not reported). The pathway closes,
    unless an employer's commitment runs; evidence dated inside the window may still come."""
    state.outcome = state.outcome or OutcomeStatus.NOT_REPORTED
    commitment = any(d.kind is DeadlineKind.COMMITMENT_END for d in state.deadlines)
    supported = state.stage is Stage.SUPPORTED_EMPLOYMENT and commitment
    # Tasks of the episode end with it; milestones that outlive it (a complaint window) stay.
    state.deadlines = [d for d in state.deadlines if d.kind in _OUTLIVE_THE_WINDOW]
    if not supported:
        state.stage = Stage.CLOSED
        drop_deadlines(state, DeadlineKind.COMMITMENT_END)
    if state.outcome is not OutcomeStatus.EMPLOYED:
        grace = state.rules(deadline.due_on).outcome_evidence_grace_days
        set_deadline(state, DeadlineKind.EVIDENCE_END, add_days(deadline.due_on, grace))
    _note(state, "outcome_window_closed", deadline, now, {"outcome": state.outcome})


_OUTLIVE_THE_WINDOW = frozenset({DeadlineKind.COMPLAINT_WINDOW, DeadlineKind.COMMITMENT_END})


def next_wakeup(state: PathwayState) -> datetime | None:
    """When the workflow must next wake up by itself: the earliest deadline not yet reached."""
    pending = [reached_at(d, state) for d in state.deadlines if not d.overdue]
    return min(pending, default=None)


def reached_at(deadline: Deadline, state: PathwayState) -> datetime:
    """The moment a deadline passes: when its day begins for thresholds, when it ends otherwise."""
    if deadline.kind in _REACHED_WHEN_DAY_BEGINS or not state.tasks_run_to_end_of_day:
        return start_of_local_day(deadline.due_on)
    return start_of_local_day(add_days(deadline.due_on, 1))


def open_outcome_window(state: PathwayState, kind: str, on: date) -> None:
    """An exit: the episode's deadlines end and the 90-day outcome window opens (§6.1)."""
    state.exit_kind = kind
    state.exited_on = on
    window = add_days(on, state.rules(on).outcome_window_days)
    state.deadlines = [Deadline(kind=DeadlineKind.OUTCOME_WINDOW, due_on=window)]


def set_deadline(state: PathwayState, kind: DeadlineKind, due_on: date | None) -> None:
    """Replace the deadline of a kind (or drop it when `due_on` is None)."""
    state.deadlines = [d for d in state.deadlines if d.kind != kind]
    if due_on is not None:
        state.deadlines.append(Deadline(kind=kind, due_on=due_on))


def drop_deadlines(state: PathwayState, *kinds: DeadlineKind) -> None:
    """Remove deadlines that no longer apply."""
    state.deadlines = [d for d in state.deadlines if d.kind not in kinds]
