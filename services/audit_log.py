"""The audit log read back: supervisors see their unit's, admins every unit's."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

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


# Filters whose values may be a person's name: the log says they were used, never what was typed.
_FREE_TEXT = frozenset({"q"})


async def record_list_read(
    session: AsyncSession,
    caller: Caller,
    list_name: str,
    filters: Mapping[str, object],
    count: int,
) -> None:
    """Who saw which list of named people: the filters they used and how many people it showed
    (in the caller's transaction, which only reads besides; see `audit.append_list_read`)."""
    used = [
        f"filter:{name}" if name in _FREE_TEXT else f"filter:{name}={value}"
        for name, value in sorted(filters.items())
        if value is not None and value is not False and value != ""
    ]
    await audit.append_list_read(
        session, caller.actor, f"{list_name}.list", [*used, f"count={count}"]
    )
