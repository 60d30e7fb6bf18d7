"""`GET /audit`: the audit log, for supervisors (their unit) and admins (every unit)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel

from api.deps import Caller, SessionDep, require
from db import audit
from domain.roles import Role

router = APIRouter(tags=["audit"])

Auditors = Annotated[Caller, require(Role.SUPERVISOR, Role.ADMIN)]


class AuditEntryOut(BaseModel):
    """Who did or saw what about whom, and when: ids and field names, never values."""

    id: int
    at: datetime
    actor: str
    role: str
    unit_id: uuid.UUID  # where it happened
    actor_unit_id: uuid.UUID | None  # the actor's own unit (another, for an admin's act here)
    action: str
    participant_id: uuid.UUID | None
    pathway_id: uuid.UUID | None
    fields: list[str]


class AuditPage(BaseModel):
    """A page of the audit log, newest first."""

    items: list[AuditEntryOut]
    next_cursor: int | None


@router.get("/audit")
async def read_audit_log(
    session: SessionDep,
    caller: Auditors,
    participant_id: uuid.UUID | None = None,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,  # a BIGINT id
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """The audit log, newest first; follow `next_cursor`."""
    filters = audit.AuditFilters(
        unit_id=None if caller.role == Role.ADMIN else caller.unit_id,
        participant_id=participant_id,
        actor=actor,
        action=action,
        since=since,
        until=until,
    )
    rows, next_cursor = await audit.entries(session, filters, cursor, limit)
    return AuditPage(
        items=[
            AuditEntryOut(
                id=r.id,
                at=r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC),  # SQLite: naive UTC
                actor=r.actor,
                role=r.role,
                unit_id=r.unit_id,
                actor_unit_id=r.actor_unit_id,
                action=r.action,
                participant_id=r.participant_id,
                pathway_id=r.pathway_id,
                fields=list(r.fields),
            )
            for r in rows
        ],
        next_cursor=next_cursor,
    )
