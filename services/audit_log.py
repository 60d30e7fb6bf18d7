"""The audit log read back: supervisors see their unit's, admins every unit's."""

from __future__ import annotations

import uuid
from datetime import datetime

from db import audit
from domain.audit import AuditEntryOut, AuditPage
from domain.roles import Role
from services.context import Caller, Services


async def read(
    services: Services,
    caller: Caller,
    participant_id: uuid.UUID | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: int | None = None,
    limit: int = 100,
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
    async with services.sessions() as session:
        rows, next_cursor = await audit.entries(session, filters, cursor, limit)
    return AuditPage(
        items=[
            AuditEntryOut(
                id=r.id,
                at=r.at,
                actor_unit_id=r.actor_unit_id,
                actor=r.actor,
                role=r.role,
                unit_id=r.unit_id,
                action=r.action,
                participant_id=r.participant_id,
                pathway_id=r.pathway_id,
                fields=list(r.fields),
            )
            for r in rows
        ],
        next_cursor=next_cursor,
    )
