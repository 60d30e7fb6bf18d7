"""The audit log's statements: append, and read back newest first. Nothing updates or deletes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry, Pathway, utcnow


@dataclass(frozen=True)
class Actor:
    """Who acts: a member of staff."""

    id: uuid.UUID
    username: str
    role: str
    unit_id: uuid.UUID


async def append(
    session: AsyncSession,
    actor: Actor,
    action: str,
    fields: Sequence[str],
    participant_id: uuid.UUID | None = None,
    pathway_id: uuid.UUID | None = None,
    unit_id: uuid.UUID | None = None,
) -> int:
    """Record one access in the log of `unit_id` (default: the actor's own unit); its id.

    A pathway's participant is found by the same statement.
    """
    participant = (
        select(Pathway.participant_id).where(Pathway.id == pathway_id).scalar_subquery()
        if participant_id is None and pathway_id is not None
        else participant_id
    )
    inserted = await session.execute(
        insert(AuditEntry)
        .values(
            at=utcnow(),
            actor_id=actor.id,
            actor=actor.username,
            role=actor.role,
            unit_id=unit_id or actor.unit_id,
            actor_unit_id=actor.unit_id,
            action=action,
            participant_id=participant,
            pathway_id=pathway_id,
            fields=sorted(set(fields)),
        )
        .returning(AuditEntry.id)
    )
    return int(inserted.scalar_one())


async def entry(session: AsyncSession, entry_id: int) -> AuditEntry | None:
    """One entry by id (None until the transaction that wrote it has committed)."""
    return await session.get(AuditEntry, entry_id)


def new_entry(
    actor: Actor,
    action: str,
    fields: Sequence[str],
    participant_id: uuid.UUID | None,
    pathway_id: uuid.UUID | None = None,
) -> AuditEntry:
    """One access as a row, its participant named (a batch adds many in one statement)."""
    return AuditEntry(
        at=utcnow(),
        actor_id=actor.id,
        actor=actor.username,
        role=actor.role,
        unit_id=actor.unit_id,
        actor_unit_id=actor.unit_id,
        action=action,
        participant_id=participant_id,
        pathway_id=pathway_id,
        fields=sorted(set(fields)),
    )


@dataclass(frozen=True)
class AuditFilters:
    """Filters of `GET /audit`; `unit_id` None means every unit (admins)."""

    unit_id: uuid.UUID | None
    participant_id: uuid.UUID | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def entries(
    session: AsyncSession, filters: AuditFilters, before_id: int | None, limit: int
) -> tuple[list[AuditEntry], int | None]:
    """A page of entries, newest first; the cursor is the last id of the page."""
    query = select(AuditEntry)
    if filters.unit_id is not None:
        query = query.where(AuditEntry.unit_id == filters.unit_id)
    if filters.participant_id is not None:
        query = query.where(AuditEntry.participant_id == filters.participant_id)
    if filters.actor is not None:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.action is not None:
        query = query.where(AuditEntry.action == filters.action)
    if filters.since is not None:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEntry.at < filters.until)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = list(
        (await session.execute(query.order_by(AuditEntry.id.desc()).limit(limit + 1))).scalars()
    )
    page = rows[:limit]
    return page, (page[-1].id if len(rows) > limit else None)


async def entries_about(session: AsyncSession, participant_id: uuid.UUID) -> list[AuditEntry]:
    """Every entry about one participant, oldest first (for their art. 15 export)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.participant_id == participant_id)
        .order_by(AuditEntry.id)
    )
    return list((await session.execute(query)).scalars())
