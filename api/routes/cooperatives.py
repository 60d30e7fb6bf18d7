"""Social cooperatives: found one, add and remove founders or members, record founding steps."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api import caseload
from api import cooperative_gateway as gateway
from api.audit import AuditDep
from api.deps import Caller, Casework, SessionDep, SettingsDep, TemporalDep
from db import queries
from db.models import Cooperative
from domain.actions import ContractType
from domain.calendar import local_date
from domain.cooperative import (
    CooperativeDeadline,
    CooperativeInput,
    CooperativeView,
    Duty,
    FoundingStep,
    Member,
    MemberAddition,
    MemberEmployment,
    MemberRemoval,
    PersonKind,
    Risk,
    StepRecording,
    StepTaken,
)
from domain.founding import check_referred, new_cooperative, view

router = APIRouter(tags=["cooperatives"])

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


async def _own_cooperative(
    cooperative_id: uuid.UUID, session: SessionDep, caller: Casework
) -> Cooperative:
    return await queries.cooperative_in_unit(session, caller.unit_id, cooperative_id)


# A cooperative from the path, of the caller's unit; any other is 404, as if it did not exist.
OwnCooperative = Annotated[Cooperative, Depends(_own_cooperative)]


@router.post("/cooperatives", status_code=status.HTTP_201_CREATED)
async def create_cooperative(
    body: CooperativeCreate,
    session: SessionDep,
    caller: Casework,
    client: TemporalDep,
    settings: SettingsDep,
    audit: AuditDep,
) -> CooperativeOut:
    """Start a founding initiative in the caller's unit."""
    now = datetime.now(UTC)
    start = CooperativeInput(
        cooperative_id=str(uuid.uuid4()), founded_by=body.founded_by, created_on=local_date(now)
    )
    first = new_cooperative(start, now)
    await queries.register_cooperative(
        session, uuid.UUID(start.cooperative_id), caller.unit_id, body.name
    )
    await audit.record("cooperative.create", body.model_fields_set)
    await gateway.start(client, settings.temporal_task_queue, start)
    return CooperativeOut.of(view(first), body.name, {})


@router.get("/cooperatives/{cooperative_id}")
async def get_cooperative(
    cooperative: OwnCooperative, session: SessionDep, caller: Casework, client: TemporalDep
) -> CooperativeOut:
    """The cooperative's live state: members, steps, deadlines, risks."""
    state = await gateway.look(client, cooperative.id)
    return await _answer(session, cooperative, state, caller)


@router.post("/cooperatives/{cooperative_id}/members")
async def add_member(
    cooperative: OwnCooperative,
    body: MemberCreate,
    session: SessionDep,
    caller: Casework,
    client: TemporalDep,
    audit: AuditDep,
) -> CooperativeOut:
    """Add a founder or member: a participant referred to a cooperative, or an outside person."""
    member_id = uuid.uuid4()
    if body.participant_id is not None:
        participant = await queries.participant_in_unit(
            session, caller.unit_id, body.participant_id, caller.caseload_of
        )
        pathway_id = await queries.cooperative_referral(session, participant.id)
        check_referred(pathway_id is not None)
        addition = MemberAddition(
            member_id=str(member_id),
            kind=PersonKind.NATURAL,
            from_excluded_group=True,
            participant_id=str(participant.id),
            pathway_id=str(pathway_id),
            occurred_on=body.occurred_on,
        )
    else:
        assert body.outside is not None
        await queries.name_cooperative_member(session, member_id, cooperative.id, body.outside.name)
        addition = MemberAddition(
            member_id=str(member_id),
            kind=body.outside.kind,
            from_excluded_group=body.outside.from_excluded_group,
            occurred_on=body.occurred_on,
        )
    await audit.record("cooperative.member_add", body.model_fields_set, body.participant_id)
    state = await gateway.add_member(client, cooperative.id, addition)
    return await _answer(session, cooperative, state, caller)


@router.delete("/cooperatives/{cooperative_id}/members/{member_id}")
async def remove_member(
    cooperative: OwnCooperative,
    member_id: uuid.UUID,
    session: SessionDep,
    caller: Casework,
    client: TemporalDep,
    audit: AuditDep,
    occurred_on: Annotated[date | None, Query()] = None,
) -> CooperativeOut:
    """A founder or member leaves; their name, if we held it, is forgotten."""
    if caller.caseload_of is not None:
        await caseload.check_member(
            session, await gateway.look(client, cooperative.id), member_id, caller.caseload_of
        )
    removal = MemberRemoval(member_id=str(member_id), occurred_on=occurred_on)
    await audit.record("cooperative.member_remove", ["member_id"])
    state = await gateway.remove_member(client, cooperative.id, removal)
    await queries.forget_cooperative_member(session, member_id)
    return await _answer(session, cooperative, state, caller)


class EmploymentCreate(BaseModel):
    """The cooperative employs the member from `started_on` (default today)."""

    model_config = ConfigDict(extra="forbid")
    contract_type: ContractType = ContractType.EMPLOYMENT
    started_on: date | None = None


@router.post("/cooperatives/{cooperative_id}/members/{member_id}/employment")
async def employ_member(
    cooperative: OwnCooperative,
    member_id: uuid.UUID,
    body: EmploymentCreate,
    session: SessionDep,
    caller: Casework,
    client: TemporalDep,
    audit: AuditDep,
) -> CooperativeOut:
    """Record that the cooperative employs a member: two from the groups, admitted and employed
    within 12 months of registration, meet a three-founder cooperative's duty (§10)."""
    if caller.caseload_of is not None:
        await caseload.check_member(
            session, await gateway.look(client, cooperative.id), member_id, caller.caseload_of
        )
    employment = MemberEmployment(member_id=str(member_id), **body.model_dump())
    await audit.record("cooperative.member_employed", ["member_id", *body.model_fields_set])
    state = await gateway.employ_member(client, cooperative.id, employment)
    return await _answer(session, cooperative, state, caller)


@router.post("/cooperatives/{cooperative_id}/steps")
async def record_step(
    cooperative: OwnCooperative,
    body: StepCreate,
    session: SessionDep,
    caller: Casework,
    client: TemporalDep,
    audit: AuditDep,
) -> CooperativeOut:
    """Record the next founding step: founding meeting, court filing, registration."""
    await audit.record("cooperative.step", body.model_fields_set)
    state = await gateway.record_step(
        client, cooperative.id, StepRecording(type=body.type, occurred_on=body.occurred_on)
    )
    return await _answer(session, cooperative, state, caller)


async def _answer(
    session: SessionDep, cooperative: Cooperative, state: CooperativeView, caller: Caller
) -> CooperativeOut:
    names = await queries.cooperative_member_names(session, cooperative.id)
    seen = await caseload.members_in_reach(session, state, caller.caseload_of)
    return CooperativeOut.of(seen, cooperative.name, names)
