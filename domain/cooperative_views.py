"""A social cooperative as the HTTP contract shows it, and what caseworkers send about it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.actions import ContractType
from domain.cooperative import (
    CooperativeDeadline,
    CooperativeView,
    Duty,
    FoundingStep,
    Member,
    PersonKind,
    Risk,
    StepTaken,
)

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CooperativeCreate(BaseModel):
    """A founding initiative: the cooperative's name and who founds it."""

    model_config = _STRICT
    name: str = Field(min_length=1, max_length=200)
    founded_by: PersonKind


class OutsideMember(BaseModel):
    """A founder or member who is not a participant of the unit."""

    model_config = _STRICT
    kind: PersonKind
    name: str = Field(min_length=1, max_length=200)
    from_excluded_group: bool


class MemberCreate(BaseModel):
    """Either a participant referred to a cooperative, or an outside person."""

    model_config = _STRICT
    participant_id: uuid.UUID | None = None
    outside: OutsideMember | None = None
    occurred_on: date | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> MemberCreate:
        if (self.participant_id is None) == (self.outside is None):
            raise ValueError("give either participant_id or outside")
        return self


class StepCreate(BaseModel):
    """A founding step; `occurred_on` defaults to today."""

    model_config = _STRICT
    type: FoundingStep
    occurred_on: date | None = None


class MemberOut(Member):
    """A member as the API shows it: outside members with their name."""

    name: str | None = None


class CooperativeOut(BaseModel):
    """A cooperative's live state."""

    id: str
    name: str
    founded_by: PersonKind
    rules: str
    created_on: date
    stage: Literal["founding_group", "founding_meeting_held", "court_filing_made", "registered"]
    next_step: FoundingStep | None
    members: list[MemberOut]
    steps: list[StepTaken]
    deadlines: list[CooperativeDeadline]
    risks: list[Risk]
    outside_share_pct: float
    duties: list[Duty]

    @classmethod
    def of(cls, state: CooperativeView, name: str, names: dict[str, str]) -> CooperativeOut:
        """The workflow's view, with the names the database keeps."""
        members = [MemberOut(**m.model_dump(), name=names.get(m.member_id)) for m in state.members]
        return cls.model_validate({**state.model_dump(), "name": name, "members": members})


class EmploymentCreate(BaseModel):
    """The cooperative employs the member from `started_on` (default today)."""

    model_config = ConfigDict(extra="forbid")
    contract_type: ContractType = ContractType.EMPLOYMENT
    started_on: date | None = None
