"""Request and response bodies of the HTTP contract that are not domain models."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from db.models import Participant, Pathway
from domain.eligibility import Exclusion
from domain.pathway import Event
from domain.roles import Role
from domain.stages import Programme

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Token(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"


class UnitCreate(BaseModel):
    """A new KIS or CIS."""

    model_config = _STRICT
    code: str = Field(min_length=2, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["kis", "cis"]


class UnitOut(BaseModel):
    """A unit."""

    id: uuid.UUID
    code: str
    name: str
    kind: str


class UnitPolicy(BaseModel):
    """A unit's access policy."""

    model_config = _STRICT
    caseload_only: bool


class UnitPolicyOut(UnitPolicy):
    """A unit's access policy, with its unit."""

    unit_code: str


class UserCreate(BaseModel):
    """A new member of staff."""

    model_config = _STRICT
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: Role
    unit_code: str
    # Where the daily digest of tasks (caseworkers) and escalations (supervisors) go.
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserOut(BaseModel):
    """A member of staff (never the password)."""

    id: uuid.UUID
    username: str
    role: Role
    unit_code: str
    email: str | None = None


class NextDeadline(BaseModel):
    """The nearest deadline of a pathway."""

    kind: str
    due_on: date


class PathwaySummary(BaseModel):
    """A pathway as lists show it (from the read model)."""

    id: uuid.UUID
    programme: str
    stage: str
    started_on: date
    graduate: bool
    outcome: str | None
    next_deadline: NextDeadline | None
    closed: bool

    @classmethod
    def of(cls, row: Pathway) -> PathwaySummary:
        """From a read-model row."""
        deadline = (
            NextDeadline(kind=row.next_due_kind, due_on=row.next_due_on)
            if row.next_due_kind and row.next_due_on
            else None
        )
        return cls(
            id=row.id,
            programme=row.programme,
            stage=row.stage,
            started_on=row.started_on,
            graduate=row.graduate,
            outcome=row.outcome,
            next_deadline=deadline,
            closed=row.closed_at is not None,
        )


class ParticipantListItem(BaseModel):
    """A row of the participants list: no categories, no contact data."""

    id: uuid.UUID
    first_name: str
    last_name: str
    birth_date: date
    pathway: PathwaySummary | None

    @classmethod
    def of(cls, person: Participant, pathway: Pathway | None) -> ParticipantListItem:
        """From the participant and their current pathway."""
        return cls(
            id=person.id,
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=person.birth_date,
            pathway=PathwaySummary.of(pathway) if pathway else None,
        )


class ParticipantOut(ParticipantListItem):
    """A participant in full, for the caseworkers of their unit."""

    pesel: str | None
    phone: str | None
    email: str | None
    consent_sms: bool
    consent_email: bool
    categories: list[str]
    # Rights that put the person outside the act (art. 1 ust. 3 u.z.s.).
    exclusions: list[Exclusion] = Field(default_factory=list)
    created_at: datetime

    @classmethod
    def full(
        cls,
        person: Participant,
        categories: list[str],
        pathway: Pathway | None,
        exclusions: list[Exclusion] | None = None,
    ) -> ParticipantOut:
        """From the participant, their categories and exclusions and their current pathway."""
        return cls(
            **ParticipantListItem.of(person, pathway).model_dump(),
            pesel=person.pesel,
            phone=person.phone,
            email=person.email,
            consent_sms=person.consent_sms,
            consent_email=person.consent_email,
            categories=categories,
            exclusions=exclusions or [],
            created_at=person.created_at,
        )


class ParticipantDetail(ParticipantOut):
    """A participant in full; with a closed pathway, its timeline from the read model."""

    timeline: list[Event] | None = None


class ParticipantPage(BaseModel):
    """A page of participants."""

    items: list[ParticipantListItem]
    next_cursor: str | None


class PathwayCreate(BaseModel):
    """Open a pathway; the start date may lie in the past (late-recorded or imported cases)."""

    model_config = _STRICT
    programme: Programme
    start_date: date
