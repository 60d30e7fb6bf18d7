"""Participants: registration, the list with filters, one participant with their pathway."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import Casework, ServicesDep
from domain.participants import (
    ParticipantCreate,
    ParticipantDetail,
    ParticipantFilters,
    ParticipantOut,
    ParticipantPage,
    ParticipantSort,
)
from domain.pathway import DeadlineKind
from domain.stages import Programme, Stage
from services import participants

router = APIRouter(tags=["participants"])


@router.post("/participants", status_code=status.HTTP_201_CREATED)
async def register(
    body: ParticipantCreate, services: ServicesDep, caller: Casework
) -> ParticipantOut:
    """Register a participant in the caller's unit."""
    return await participants.register(services, caller, body)


@router.get("/participants")
async def list_participants(
    services: ServicesDep,
    caller: Casework,
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
    filters = ParticipantFilters(
        stage=stage,
        programme=programme,
        caseworker=caseworker,
        due_before=due_before,
        q=q,
        deadline_kind=deadline_kind,
        overdue=overdue,
    )
    return await participants.list_page(services, caller, filters, cursor, limit, sort, unit)


@router.get("/participants/{participant_id}")
async def get_participant(
    participant_id: uuid.UUID, services: ServicesDep, caller: Casework
) -> ParticipantDetail:
    """One participant of the caller's unit with their current pathway.

    When that pathway is closed its timeline comes from the read model (the workflow is done).
    """
    return await participants.detail(services, caller, participant_id)
