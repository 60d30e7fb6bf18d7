"""What others see of a pathway: the live view, a step's answer, the read model's snapshot."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from domain.appointments import Appointment
from domain.attendance import weeks_outside_hours
from domain.day_marks import corrected_by
from domain.pathway import (
    CisEpisode,
    DeadlineKind,
    Event,
    OutcomeStatus,
    PathwaySnapshot,
    PathwayState,
    Totals,
    WeekHours,
    by_due_date,
)
from domain.roles import Role
from domain.stages import Programme, Stage
from domain.steps import allowed_actions


class DeadlineView(BaseModel):
    """A deadline as the API shows it."""

    kind: DeadlineKind
    due_on: date
    overdue: bool


class StepView(BaseModel):
    """The pathway after a step: its live state without its history, what a caseworker needs.

    Every Update's answer stays in the workflow's history, so it must stay small: `timeline` holds
    only the events the step recorded (the clock's, then the step's own); `GET /pathways/{id}`
    answers the whole timeline.
    """

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
    cis: CisEpisode | None = None
    timeline: list[Event] = Field(description="The events this step recorded, in order.")


class PathwayView(StepView):
    """The pathway's live state, as `GET /pathways/{id}` answers: with its whole timeline, the
    whole weeks outside the CIS's weekly hours, and its appointments as the workflow holds them."""

    hours_flags: list[WeekHours] = Field(default_factory=list)
    appointments: list[Appointment] = Field(default_factory=list)
    timeline: list[Event] = Field(description="Every event of the pathway, in order.")
    corrected_by: dict[int, int] = Field(
        default_factory=dict,
        description="A day's mark superseded by a later correct_day: its seq -> the correction's.",
    )


class StepReceipt(BaseModel):
    """What an accepted step answers: small, because every answer stays in the history.

    `view` is there since issue 13 (one round trip per step); workflows' answers recorded
    before it have none.
    """

    seq: int
    stage: Stage
    view: StepView | None = None


def view(state: PathwayState, role: Role, today: date | None = None) -> PathwayView:
    """The state as the API shows it to a caller with `role`."""
    return PathwayView(
        **_common(state, role),
        hours_flags=weeks_outside_hours(state, today) if today else [],
        appointments=list(state.agenda.appointments),
        timeline=state.timeline,
        corrected_by=corrected_by(state.timeline),
    )


def step_view(state: PathwayState, role: Role, first_seq: int, last_seq: int) -> StepView:
    """The state after a step for a caller with `role`, with the events from `first_seq` to
    `last_seq` (the ones the step recorded)."""
    return StepView(**_common(state, role), timeline=state.timeline[first_seq - 1 : last_seq])


def _common(state: PathwayState, role: Role) -> dict[str, object]:
    return {
        "id": state.pathway_id,
        "participant_id": state.participant_id,
        "programme": state.programme,
        "stage": state.stage,
        "started_on": state.started_on,
        "graduate": state.graduate,
        "rulebook": state.rulebook_key,
        "outcome": state.outcome,
        "deadlines": [
            DeadlineView(**d.model_dump()) for d in sorted(state.deadlines, key=by_due_date)
        ],
        "allowed_actions": allowed_actions(state, role),
        "totals": state.totals,
        "cis": state.cis,
    }


def snapshot(
    state: PathwayState, after_seq: int, limit: int, with_appointments: bool = False
) -> PathwaySnapshot:
    """The read-model update for events after `after_seq`, at most `limit` of them; with the
    appointments too when asked (they changed since last projected)."""
    events = state.timeline[after_seq : after_seq + limit]
    upcoming = sorted(state.deadlines, key=by_due_date)
    head = upcoming[0] if upcoming else None
    agenda = state.agenda
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
        appointments=list(agenda.appointments) if with_appointments else None,
        appointments_version=agenda.appointments_version,
    )
