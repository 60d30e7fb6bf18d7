"""Participants: registration, the list with filters, one participant with their pathway."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.audit import PARTICIPANT_FIELDS, AuditDep
from api.deps import Casework, KeysDep, SessionDep
from api.schemas import ParticipantListItem, ParticipantOut, ParticipantPage
from db import queries
from domain.calendar import local_date
from domain.participants import ParticipantCreate, identity
from domain.stages import Programme, Stage

router = APIRouter(tags=["participants"])


@router.post("/participants", status_code=status.HTTP_201_CREATED)
async def register(
    body: ParticipantCreate,
    session: SessionDep,
    caller: Casework,
    audit: AuditDep,
    keys: KeysDep,
) -> ParticipantOut:
    """Register a participant in the caller's unit."""
    pesel, born = identity(body, local_date(datetime.now(UTC)))
    person = await queries.create_participant(session, caller.unit_id, caller.id, body, pesel, born)
    await keys.provide(session, person.id)
    await audit.record("participant.create", body.model_fields_set, participant_id=person.id)
    return ParticipantOut.full(person, list(body.categories), None)


@router.get("/participants")
async def list_participants(
    session: SessionDep,
    caller: Casework,
    stage: Stage | None = None,
    programme: Programme | None = None,
    caseworker: str | None = None,
    due_before: date | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ParticipantPage:
    """The unit's participants by name, with their current pathway; follow `next_cursor`."""
    filters = queries.ParticipantFilters(
        stage=stage,
        programme=programme,
        caseworker=caseworker,
        due_before=due_before,
        q=q,
        caseload_of=caller.caseload_of,
    )
    rows, next_cursor = await queries.list_participants(
        session, caller.unit_id, filters, cursor, limit
    )
    return ParticipantPage(
        items=[ParticipantListItem.of(p, pw) for p, pw in rows], next_cursor=next_cursor
    )


@router.get("/participants/{participant_id}")
async def get_participant(
    participant_id: uuid.UUID, session: SessionDep, caller: Casework, audit: AuditDep
) -> ParticipantOut:
    """One participant of the caller's unit with their current pathway."""
    person = await queries.participant_in_unit(
        session, caller.unit_id, participant_id, caller.caseload_of
    )
    await audit.record("participant.read", PARTICIPANT_FIELDS, participant_id=person.id)
    categories = await queries.categories_of(session, person.id)
    pathway = await queries.current_pathway(session, person.id)
    return ParticipantOut.full(person, categories, pathway)
