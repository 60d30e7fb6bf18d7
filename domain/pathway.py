"""What a pathway is: its state, timeline, deadlines, and the messages the workflow exchanges.

Rules that change the state live beside it: `steps.py` (people's steps), `deadlines.py` (the
clock), `views.py` (what the API and the read model see).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from domain import actions as a
from domain.appointments import Agenda, Appointment
from domain.calendar import add_months
from domain.eligibility import Exclusion
from domain.roles import Role
from domain.rulebook import Rulebook, rulebook_by_key, rules_on
from domain.stages import Programme, Stage

SYSTEM_ACTOR = "system"
# Events of the office, not of the person's path: a hand-over of the case, another unit's
# decision on a referral (issue 16).
ADMINISTRATIVE_EVENTS = frozenset({"holder_changed", "referral_accepted", "referral_declined"})
# The rules of issue 12 ("the law, right to the day"): numbers by the day that decides them,
# periods by art. 112 k.c., the head's acts, supported employment as its own episode. Pathways
# whose workflow started before keep version 1 (workflows/pathway.py, `workflow.patched`).
LAW_VERSION = 2


class DeadlineKind(StrEnum):
    """Deadlines the engine keeps and reminds about."""

    CONTRACT_REVIEW = "contract_review"
    KIS_SIX_MONTHS = "kis_six_months"
    TRIAL_END = "trial_end"
    PARTICIPATION_END = "participation_end"
    EXTENSION_DECISION = "extension_decision"
    ABANDONMENT_REVIEW = "abandonment_review"
    FOLLOW_UP_END = "follow_up_end"
    COMPLAINT_WINDOW = "complaint_window"
    COMMITMENT_END = "commitment_end"
    OUTCOME_WINDOW = "outcome_window"
    HEAD_DECISION = "head_decision"  # a caseworker prepared the head's act; the head decides
    ELIGIBILITY_REVIEW = "eligibility_review"  # an exclusion arose during participation
    EVIDENCE_END = "evidence_end"  # late evidence of work inside the outcome window until then


class Deadline(BaseModel):
    """A date the pathway waits for."""

    kind: DeadlineKind
    due_on: date
    overdue: bool = False


class Event(BaseModel):
    """One recorded fact on the timeline; `seq` orders it and keys its projection. Never changes."""

    model_config = ConfigDict(frozen=True)

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


class CisEpisode(BaseModel):
    """What a CIS episode keeps beyond its timeline (art. 12-16)."""

    referred_on: date
    admitted_on: date | None = None  # the IPZS signed (art. 12 ust. 4)
    trial_passed_on: date | None = None
    extension_months: int = 0
    days_off: int = 0
    unexcused_streak: int = 0
    job_started_on: date | None = None
    decision_delivered_on: date | None = None  # the termination decision reached the person


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
    cis: CisEpisode | None = None
    # Idempotency keys already applied -> the seq they recorded.
    applied_requests: dict[str, int] = Field(default_factory=dict)
    # Pathways started before this rule reached tasks and windows when their day began.
    tasks_run_to_end_of_day: bool = True
    # Appointments and participants' reminders (issue 4; used behind the "reminders" patch).
    agenda: Agenda = Field(default_factory=Agenda)
    law_version: int = LAW_VERSION
    # Art. 1 ust. 3 u.z.s.: rights that exclude the person (recorded at registration or later).
    exclusions: list[Exclusion] = Field(default_factory=list)

    @property
    def rulebook(self) -> Rulebook:
        """The rules in force when the episode started."""
        return rulebook_by_key(self.rulebook_key)

    @property
    def day_exact(self) -> bool:
        """Whether this pathway follows the rules of law version 2 (see LAW_VERSION)."""
        return self.law_version >= LAW_VERSION

    def period_end(self, start: date, months: int) -> date:
        """The last day of a period of months from `start` (art. 112 k.c., PERIOD_CONVENTION);
        law version 1 ended it a day earlier."""
        end = add_months(start, months)
        return end if self.day_exact else end - timedelta(days=1)

    def rules(self, on: date) -> Rulebook:
        """The numbers that decide a fact of `on` (domain/law_parameters.py says which day);
        a pathway of law version 1 keeps its episode's rulebook."""
        return rules_on(on) if self.day_exact else self.rulebook

    @property
    def last_step_on(self) -> date:
        """The business date of the last step a person took (system events do not count)."""
        people = [
            e.occurred_on
            for e in self.timeline
            if e.actor != SYSTEM_ACTOR and e.type not in ADMINISTRATIVE_EVENTS
        ]
        return max(people, default=self.started_on)


class StepRequest(BaseModel):
    """A step as it reaches the workflow: the action, who takes it, and its idempotency key."""

    action: a.Action
    actor: str
    role: Role
    request_id: str | None = None


class WeekHours(BaseModel):
    """A whole week of CIS participation outside the weekly hours (art. 14)."""

    week: str  # ISO week, e.g. 2025-W10
    hours: Decimal
    flag: str  # week_under_minimum | week_over_maximum


class PathwaySnapshot(BaseModel):
    """What the read model needs after some events: the current columns and the new events."""

    pathway_id: str
    programme: Programme
    stage: Stage
    graduate: bool
    outcome: OutcomeStatus | None
    next_due_kind: DeadlineKind | None
    next_due_on: date | None
    closed: bool
    last_seq: int
    events: list[Event]
    # Every open deadline as of `last_seq` (the read model replaces its rows with these).
    deadlines: list[Deadline] = Field(default_factory=list)
    # The appointments as the workflow holds them, when they changed since last projected.
    appointments: list[Appointment] | None = None
    appointments_version: int = 0


class PathwayInput(BaseModel):
    """How a pathway's workflow starts, or carries on after continue-as-new (`state` set)."""

    pathway_id: str
    participant_id: str
    programme: Programme
    started_on: date
    # The moment the caseworker asked; the first state is computed at it, so the API can answer
    # with exactly the state the workflow starts from.
    requested_at: datetime | None = None
    state: PathwayState | None = None
    projected_seq: int = 0
    # Participants' reminders and appointments (issue 4): on for pathways the API opens; off where a
    # workflow is started bare (workflow tests, benchmarks of the engine alone).
    reminders: bool = False
    exclusions: list[Exclusion] = Field(default_factory=list)
    # Appointments projected with the pathway's events (issue 13). A flag of the start, not a
    # patch: a run started before has none and keeps its own activity for them, and a new
    # pathway's history carries no marker (each patch is a marker and a search-attribute upsert).
    appointments_in_projection: bool = False
    # Steps already taken, back-dated (an imported case): the workflow starts past them, taking
    # each as `take_step` does at `requested_at` (issue 13), instead of an Update per step.
    history: list[StepRequest] = Field(default_factory=list)
    # The changes (`workflow.patched` names) the pathway is born with: its starter's code has
    # them, so the workflow takes them without writing a marker for each (workflows/patches.py).
    born_with: list[str] = Field(default_factory=list)


class PathwayResult(BaseModel):
    """How a pathway ended."""

    pathway_id: str
    stage: Stage
    outcome: OutcomeStatus | None


class BenefitsRequest(BaseModel):
    """A month to compute the integration benefit for."""

    year: int
    month: int


class Refusal(BaseModel):
    """A domain error carried in a Query's answer (Queries cannot fail with a typed error)."""

    kind: str
    code: str
    message: str


class CooperativeNews(BaseModel):
    """A step of a social cooperative a participant is founding or joining (domain.md §4)."""

    cooperative_id: str
    step: str  # e.g. founder_added, founding_meeting_held, court_filing_made, registered
    occurred_on: date


class EligibilityChange(BaseModel):
    """The person's exclusions (art. 1 ust. 3) as recorded anew, and since when."""

    exclusions: list[Exclusion]
    occurred_on: date


class ViewRequest(BaseModel):
    """Who is looking: the allowed actions depend on the role."""

    role: Role


def fork(state: PathwayState) -> PathwayState:
    """A copy to change: recorded events are shared (they never change), the rest is copied."""
    return state.model_copy(
        update={
            "timeline": list(state.timeline),
            "deadlines": [d.model_copy() for d in state.deadlines],
            "totals": state.totals.model_copy(deep=True),
            "cis": state.cis.model_copy() if state.cis else None,
            "applied_requests": dict(state.applied_requests),
        }
    )


def is_finished(state: PathwayState) -> bool:
    """Closed with nothing left to wait for (a complaint window or late evidence may still run)."""
    if state.stage is not Stage.CLOSED:
        return False
    return not state.day_exact or not state.deadlines


def record_event(
    state: PathwayState, type_: str, on: date, actor: str, now: datetime, data: dict[str, Any]
) -> int:
    """Append an event to the timeline; its seq is its position."""
    seq = len(state.timeline) + 1
    state.timeline.append(
        Event(seq=seq, type=type_, occurred_on=on, actor=actor, recorded_at=now, data=data)
    )
    return seq


def by_due_date(deadline: Deadline) -> date:
    """Sort key: earliest deadline first."""
    return deadline.due_on


# A step's effect changes a forked state and returns its event's data; a guard refuses a step
# from the state alone (so the allowed actions can be listed without a payload).
Effect = Callable[[PathwayState, Any, date], dict[str, Any]]
Guard = Callable[[PathwayState], None]
