"""The audit log's statements: append, and read back newest first. Nothing updates or deletes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import String, Table, Uuid, bindparam, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert, ReturningInsert

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
    by_pathway = participant_id is None and pathway_id is not None
    values = {
        "at": utcnow(),
        "actor_id": actor.id,
        "actor": actor.username,
        "role": actor.role,
        "unit_id": unit_id or actor.unit_id,
        "actor_unit_id": actor.unit_id,
        "action": action,
        "participant_id": participant_id,
        "pathway_id": pathway_id,
        "fields": sorted(set(fields)),
    }
    inserted = await session.execute(_append(by_pathway), values)
    return int(inserted.scalar_one())


async def append_many(
    session: AsyncSession,
    actor: Actor,
    action: str,
    entries: Sequence[tuple[Sequence[str], uuid.UUID]],
) -> None:
    """Record one access per pathway (its fields, its id) in one statement executed for all
    (one round trip, where `append` for each would take one apiece); each entry's participant
    is its pathway's, as `append` finds it."""
    if not entries:
        return
    at = utcnow()
    rows = [
        {"at": at, "actor_id": actor.id, "actor": actor.username, "role": actor.role,
         "unit_id": actor.unit_id, "actor_unit_id": actor.unit_id, "action": action,
         "pathway_id": pathway_id, "fields": sorted(set(fields))}
        for fields, pathway_id in entries
    ]  # fmt: skip
    await session.execute(_insert(True), rows)


async def append_list_read(
    session: AsyncSession, actor: Actor, action: str, fields: Sequence[str]
) -> None:
    """Record that someone saw a list of named people, in a transaction that only read besides.

    On PostgreSQL that transaction commits without waiting for the disk (`synchronous_commit`
    off for it alone): lists are read far more often than anything is written, and waiting for
    the flush doubled a list's time. A crash of the database server itself may lose the last
    fraction of a second of such entries, never anything else, and never corrupts the log."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    await append(session, actor, action, fields)


@cache
def _append(by_pathway: bool) -> ReturningInsert[Any]:
    """The append answering the entry's id, built once."""
    table = cast(Table, AuditEntry.__table__)
    return _insert(by_pathway).returning(table.c.id)


@cache
def _insert(by_pathway: bool) -> Insert:
    """The append, built once (its values are parameters); with `by_pathway` the participant
    is the pathway's, found by the same statement."""
    participant: Any = bindparam("participant_id", type_=Uuid)
    if by_pathway:
        participant = (
            select(Pathway.participant_id)
            .where(Pathway.id == bindparam("pathway_id", type_=Uuid))
            .scalar_subquery()
        )
    # The table, not the mapped class: an ORM insert given parameters would be a bulk insert.
    table = cast(Table, AuditEntry.__table__)
    columns = table.c
    return (
        insert(table)
        .values(
            at=bindparam("at", type_=columns.at.type),
            actor_id=bindparam("actor_id", type_=Uuid),
            actor=bindparam("actor", type_=String),
            role=bindparam("role", type_=String),
            unit_id=bindparam("unit_id", type_=Uuid),
            actor_unit_id=bindparam("actor_unit_id", type_=Uuid),
            action=bindparam("action", type_=String),
            participant_id=participant,
            pathway_id=bindparam("pathway_id", type_=Uuid),
            fields=bindparam("fields", type_=columns.fields.type),
        )
    )


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
