"""The import's bookkeeping: which participant and pathway each external case became."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CaseImport, Participant, Pathway, utcnow


async def imported_case(
    session: AsyncSession, unit_id: uuid.UUID, external_id: str
) -> CaseImport | None:
    """What an earlier run made of this case, if it got as far as registering the participant."""
    return await session.get(CaseImport, (unit_id, external_id))


async def participant_with_pesel(
    session: AsyncSession, unit_id: uuid.UUID, pesel: str
) -> uuid.UUID | None:
    """The unit's participant with this PESEL, if any (a dry run reports the duplicate)."""
    query = select(Participant.id).where(Participant.unit_id == unit_id, Participant.pesel == pesel)
    return (await session.execute(query)).scalar_one_or_none()


async def pathway_registered(session: AsyncSession, pathway_id: uuid.UUID) -> bool:
    """Whether a pathway with this id was registered (an earlier run opened it)."""
    query = select(Pathway.id).where(Pathway.id == pathway_id)
    return (await session.execute(query)).scalar_one_or_none() is not None


async def record_case(
    session: AsyncSession,
    unit_id: uuid.UUID,
    external_id: str,
    participant_id: uuid.UUID,
    fingerprint: str,
    steps_total: int,
) -> CaseImport:
    """Note the case in the participant's registering transaction."""
    now = utcnow()
    row = CaseImport(
        unit_id=unit_id,
        external_id=external_id,
        participant_id=participant_id,
        fingerprint=fingerprint,
        steps_total=steps_total,
        steps_sent=0,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def note_progress(
    session: AsyncSession,
    unit_id: uuid.UUID,
    external_id: str,
    pathway_id: uuid.UUID,
    steps_sent: int,
) -> None:
    """Note the case's pathway and how many of its steps the workflow has accepted."""
    await session.execute(
        update(CaseImport)
        .where(CaseImport.unit_id == unit_id, CaseImport.external_id == external_id)
        .values(pathway_id=pathway_id, steps_sent=steps_sent, updated_at=utcnow())
    )
