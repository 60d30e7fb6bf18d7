"""What others see of a pathway: the API's view and the read model's snapshot."""

from __future__ import annotations

from datetime import date

from domain.attendance import weeks_outside_hours
from domain.pathway import (
    DeadlineView,
    PathwaySnapshot,
    PathwayState,
    PathwayView,
    by_due_date,
)
from domain.roles import Role
from domain.stages import Stage
from domain.steps import allowed_actions


def view(state: PathwayState, role: Role, today: date | None = None) -> PathwayView:
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
        deadlines=[
            DeadlineView(**d.model_dump()) for d in sorted(state.deadlines, key=by_due_date)
        ],
        allowed_actions=allowed_actions(state, role),
        totals=state.totals,
        cis=state.cis,
        hours_flags=weeks_outside_hours(state, today) if today else [],
        timeline=state.timeline,
    )


def snapshot(state: PathwayState, after_seq: int, limit: int) -> PathwaySnapshot:
    """The read-model update for events after `after_seq`, at most `limit` of them."""
    events = state.timeline[after_seq : after_seq + limit]
    upcoming = sorted(state.deadlines, key=by_due_date)
    head = upcoming[0] if upcoming else None
    return PathwaySnapshot(
        pathway_id=state.pathway_id,
        programme=state.programme,
        stage=state.stage,
        graduate=state.graduate,
        outcome=state.outcome,
        next_due_kind=head.kind if head else None,
        next_due_on=head.due_on if head else None,
        closed=state.stage is Stage.CLOSED,
        last_seq=events[-1].seq if events else after_seq,
        events=events,
        deadlines=upcoming,
    )
