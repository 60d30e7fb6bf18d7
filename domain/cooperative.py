"""A social cooperative's founding and membership (u.s.s., domain.md §4, §9.6): state, messages.

The rules that change the state are in `founding.py`. Members are ids and facts only; outside
members' names stay in the database. The share of members from outside the excluded groups is
counted over natural persons (legal persons are neither; [V] for legal-person cooperatives the
sources differ, domain.md §4).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.actions import ContractType
from domain.cooperative_rules import CooperativeRules, cooperative_rules_by_key
from domain.pathway import CooperativeNews


class PersonKind(StrEnum):
    """Who founds or joins: natural persons or legal persons (NGOs, local government, churches)."""

    NATURAL = "natural"
    LEGAL = "legal"


class FoundingStep(StrEnum):
    """The founding steps, in the order the law takes them."""

    FOUNDING_MEETING_HELD = "founding_meeting_held"  # zebranie założycielskie, statute adopted
    COURT_FILING_MADE = "court_filing_made"  # application to the National Court Register (KRS)
    REGISTERED = "registered"  # the KRS entry


STEP_ORDER: tuple[FoundingStep, ...] = tuple(FoundingStep)


class CooperativeDeadlineKind(StrEnum):
    """Dates a cooperative waits for."""

    MEMBERS_DEADLINE = "members_deadline"  # the full minimum of members, after a 3-founder start
    BELOW_MINIMUM_GRACE = "below_minimum_grace"  # how long membership may stay below the minimum


class RiskKind(StrEnum):
    """Flags for the caseworker: tasks, never automatic consequences."""

    MEMBERS_DEADLINE_MISSED = "members_deadline_missed"
    LIQUIDATION_RISK = "liquidation_risk"


class Member(BaseModel):
    """A founder or member: a participant (by id) or an outside person (named in the database)."""

    member_id: str
    kind: PersonKind
    from_excluded_group: bool
    participant_id: str | None = None
    pathway_id: str | None = None
    joined_on: date
    founder: bool
    # Employment by the cooperative (§10: the 12-month duty counts members admitted *and*
    # employed); None until recorded.
    employed_since: date | None = None
    contract_type: ContractType | None = None


class StepTaken(BaseModel):
    """A founding step with its business date."""

    type: FoundingStep
    occurred_on: date


class CooperativeDeadline(BaseModel):
    """A date the cooperative waits for."""

    kind: CooperativeDeadlineKind
    due_on: date


class Risk(BaseModel):
    """A flagged task: the cooperative is at risk since a date."""

    kind: RiskKind
    since: date


class PendingNews(BaseModel):
    """News a member's pathway is still to be told."""

    pathway_id: str
    news: CooperativeNews


class CooperativeState(BaseModel):
    """Everything the founding workflow knows. No personal data: ids, kinds, dates."""

    cooperative_id: str
    founded_by: PersonKind
    rules_key: str
    created_on: date
    members: list[Member] = Field(default_factory=list)
    steps: list[StepTaken] = Field(default_factory=list)
    deadlines: list[CooperativeDeadline] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    below_minimum_since: date | None = None
    outbox: list[PendingNews] = Field(default_factory=list)
    # 2: the 12-month duty counts members from the groups admitted and employed (§10);
    # 1: cooperatives whose workflow started before counted any five natural persons.
    law_version: int = 2

    @property
    def rules(self) -> CooperativeRules:
        """The rules in force when the initiative began."""
        return cooperative_rules_by_key(self.rules_key)

    @property
    def registered(self) -> bool:
        """Entered in the court register."""
        return any(s.type is FoundingStep.REGISTERED for s in self.steps)


class CooperativeInput(BaseModel):
    """How the founding workflow starts, or carries on after continue-as-new (`state` set)."""

    cooperative_id: str
    founded_by: PersonKind
    created_on: date
    state: CooperativeState | None = None


class MemberAddition(BaseModel):
    """A founder or member to add; a participant is always a natural person from the groups."""

    model_config = ConfigDict(frozen=True)

    member_id: str
    kind: PersonKind
    from_excluded_group: bool
    participant_id: str | None = None
    pathway_id: str | None = None
    occurred_on: date | None = None

    @model_validator(mode="after")
    def _participants_are_excluded_natural_persons(self) -> MemberAddition:
        if self.participant_id and (
            self.kind is not PersonKind.NATURAL or not self.from_excluded_group
        ):
            raise ValueError("a participant is a natural person from the excluded groups")
        return self


class MemberRemoval(BaseModel):
    """A founder or member who leaves."""

    member_id: str
    occurred_on: date | None = None


class MemberEmployment(BaseModel):
    """The cooperative employs a member from a date, on a contract of a type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    member_id: str
    contract_type: ContractType = ContractType.EMPLOYMENT
    started_on: date | None = None


class Duty(BaseModel):
    """A legal duty of the cooperative with its deadline, flagged until it is met."""

    kind: str  # employ_members_from_the_groups
    due_on: date
    required: int
    counted: int
    met: bool


class StepRecording(BaseModel):
    """A founding step as the caseworker records it."""

    type: FoundingStep
    occurred_on: date | None = None


class CooperativeView(BaseModel):
    """The cooperative's live state, as the API shows it."""

    id: str
    founded_by: PersonKind
    rules: str
    created_on: date
    stage: str
    next_step: FoundingStep | None
    members: list[Member]
    steps: list[StepTaken]
    deadlines: list[CooperativeDeadline]
    risks: list[Risk]
    outside_share_pct: float
    duties: list[Duty] = Field(default_factory=list)
