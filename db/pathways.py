"""Pathways' registrations: claiming the one open pathway, its owner, undoing a failed start."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    Date,
    String,
    Table,
    Uuid,
    bindparam,
    delete,
    exists,
    insert,
    literal,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from db.models import (
    Participant,
    ParticipantErasure,
    Pathway,
    PathwayDeadline,
    PathwayEvent,
    PathwayMonth,
    PathwayReportRow,
    utcnow,
)
from db.participants import in_caseload
from db.types import UtcDateTime
from domain.errors import Conflict, NotFound
from domain.pathway import Event


async def register_pathway(
    session: AsyncSession,
    pathway_id: uuid.UUID,
    unit_id: uuid.UUID,
    participant_id: uuid.UUID,
    caseworker_id: uuid.UUID,
    programme: str,
    started_on: date,
    stage: str,
    caseload_of: uuid.UUID | None = None,
) -> None:
    """Claim the participant's one open pathway, if they are in the unit (else 404; 409 if open)."""
    now = utcnow()
    values = {
        "pathway_id": pathway_id,
        "unit_id": unit_id,
        "participant_id": participant_id,
        "caseworker_id": caseworker_id,
        "programme": programme,
        "started_on": started_on,
        "stage": stage,
        "now": now,
        "caseload_of": caseload_of,
    }
    try:
        result = await session.execute(_registration(caseload_of is not None), values)
    except IntegrityError as err:
        raise Conflict("pathway_open", "The participant already has an open pathway.") from err
    if result.first() is None:
        raise NotFound("participant_not_found", "No such participant.")


@cache
def _registration(in_caseload_only: bool) -> ReturningInsert[Any]:
    """The registration's INSERT ... SELECT, built once (its values are parameters): the row
    appears only if the participant is in the unit (and the caseload), and not erased."""
    now = bindparam("now", type_=UtcDateTime())
    source = select(
        bindparam("pathway_id", type_=Uuid),
        Participant.id,
        Participant.unit_id,
        bindparam("caseworker_id", type_=Uuid),
        bindparam("programme", type_=String),
        bindparam("started_on", type_=Date),
        bindparam("stage", type_=String),
        literal(False),
        literal(0),
        now,
        now,
    ).where(
        Participant.id == bindparam("participant_id", type_=Uuid),
        Participant.unit_id == bindparam("unit_id", type_=Uuid),
        # An erased participant is gone: their key is destroyed, nothing new may start.
        ~exists().where(ParticipantErasure.participant_id == Participant.id),
    )
    if in_caseload_only:
        source = source.where(in_caseload(bindparam("caseload_of", type_=Uuid)))
    columns = [
        "id",
        "participant_id",
        "unit_id",
        "caseworker_id",
        "programme",
        "started_on",
        "stage",
        "graduate",
        "last_seq",
        "created_at",
        "updated_at",
    ]
    # RETURNING, not rowcount: an INSERT ... SELECT may report rowcount -1. The table, not the
    # mapped class: an ORM insert given parameters would be a bulk insert.
    table = cast(Table, Pathway.__table__)
    return insert(table).from_select(columns, source).returning(table.c.id)


def new_registration(
    pathway_id: uuid.UUID,
    unit_id: uuid.UUID,
    participant_id: uuid.UUID,
    caseworker_id: uuid.UUID,
    programme: str,
    started_on: date,
    stage: str,
) -> Pathway:
    """A new participant's pathway as registered (a batch of imported cases adds many; the
    participant, made in the same transaction, has no other pathway to conflict with)."""
    now = utcnow()
    return Pathway(
        id=pathway_id,
        participant_id=participant_id,
        unit_id=unit_id,
        caseworker_id=caseworker_id,
        programme=programme,
        started_on=started_on,
        stage=stage,
        graduate=False,
        last_seq=0,
        created_at=now,
        updated_at=now,
    )


@dataclass(frozen=True)
class PathwayOwner:
    """Whose a pathway is: its unit, the caseworker who opened it and its participant (none of
    them ever changes)."""

    unit_id: uuid.UUID
    caseworker_id: uuid.UUID
    participant_id: uuid.UUID


async def owner_of_pathway(session: AsyncSession, pathway_id: uuid.UUID) -> PathwayOwner:
    """The unit, caseworker and participant of a pathway, or 404."""
    query = select(Pathway.unit_id, Pathway.caseworker_id, Pathway.participant_id).where(
        Pathway.id == pathway_id
    )
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise NotFound("pathway_not_found", "No such pathway.")
    return PathwayOwner(unit_id=row[0], caseworker_id=row[1], participant_id=row[2])


async def forget_pathway(session: AsyncSession, pathway_id: uuid.UUID) -> None:
    """Undo a registration whose workflow never started (with its first projection)."""
    for table in (PathwayDeadline, PathwayEvent, PathwayMonth, PathwayReportRow):
        await session.execute(delete(table).where(table.pathway_id == pathway_id))
    await session.execute(delete(Pathway).where(Pathway.id == pathway_id))


async def pathway_timeline(session: AsyncSession, pathway_id: uuid.UUID) -> list[Event]:
    """A pathway's timeline as projected, in order (for pathways whose workflow is closed)."""
    query = (
        select(PathwayEvent).where(PathwayEvent.pathway_id == pathway_id).order_by(PathwayEvent.seq)
    )
    return [
        Event(
            seq=e.seq,
            type=e.type,
            occurred_on=e.occurred_on,
            actor=e.actor,
            recorded_at=e.recorded_at,
            data=e.data or {},
        )
        for e in (await session.execute(query)).scalars()
    ]
