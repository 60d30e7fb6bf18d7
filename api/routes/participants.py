"""Participants: registration, the list with filters, one participant with their pathway."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from api import casework
from api.audit import PARTICIPANT_FIELDS, AuditDep
from api.deps import Casework, KeysDep, SessionDep, SettingsDep
from api.schemas import ParticipantDetail, ParticipantListItem, ParticipantOut, ParticipantPage
from core.cursors import open_cursor, seal_cursor
from db import eligibility, queries
from db.participant_order import ParticipantSort
from db.reports import scope_of
from domain.participants import ParticipantCreate
from domain.pathway import DeadlineKind
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
    person = await casework.register_participant(
        session, keys, audit.actor, body, caller.caseload_of
    )
    return ParticipantOut.full(person, list(body.categories), None, body.exclusions)


@router.get("/participants")
async def list_participants(
    session: SessionDep,
    caller: Casework,
    settings: SettingsDep,
    stage: Stage | None = None,
    programme: Programme | None = None,
    caseworker: str | None = None,
    due_before: date | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    unit: Annotated[str | None, Query(max_length=50)] = None,
    deadline_kind: DeadlineKind | None = None,
    overdue: bool = False,
    sort: ParticipantSort = ParticipantSort.NAME,
) -> ParticipantPage:
    """The unit's participants with their current pathway, sorted; follow `next_cursor`.

    `unit` names a unit the caller may see (today only their own: any other is 404);
    `deadline_kind` and `overdue=true` keep pathways with such an open deadline.
    """
    filters = queries.ParticipantFilters(
        stage=stage,
        programme=programme,
        caseworker=caseworker,
        due_before=due_before,
        q=q,
        caseload_of=caller.caseload_of,
        deadline_kind=deadline_kind,
        overdue=overdue,
    )
    unit_id = caller.unit_id
    if unit is not None:
        unit_id = (await scope_of(session, caller.unit_id, unit, any_unit=False)).unit_ids[0]
    purpose = f"participants:{sort.value}"
    after = open_cursor(settings.secret_key, purpose, cursor) if cursor else None
    rows, next_keys = await queries.list_participants(session, unit_id, filters, after, limit, sort)
    return ParticipantPage(
        items=[ParticipantListItem.of(p, pw) for p, pw in rows],
        next_cursor=seal_cursor(settings.secret_key, purpose, next_keys) if next_keys else None,
    )


@router.get("/participants/{participant_id}")
async def get_participant(
    participant_id: uuid.UUID, session: SessionDep, caller: Casework, audit: AuditDep
) -> ParticipantDetail:
    """One participant of the caller's unit with their current pathway.

    When that pathway is closed its timeline comes from the read model (the workflow is done).
    """
    person = await queries.participant_in_unit(
        session, caller.unit_id, participant_id, caller.caseload_of
    )
    categories = await queries.categories_of(session, person.id)
    pathway = await queries.current_pathway(session, person.id)
    closed = pathway is not None and pathway.closed_at is not None
    seen = (*PARTICIPANT_FIELDS, "timeline") if closed else PARTICIPANT_FIELDS
    await audit.record("participant.read", seen, participant_id=person.id)
    timeline = await queries.pathway_timeline(session, pathway.id) if pathway and closed else None
    exclusions = await eligibility.exclusions_of(session, person.id)
    return ParticipantDetail(
        **ParticipantOut.full(person, categories, pathway, exclusions).model_dump(),
        timeline=timeline,
    )
