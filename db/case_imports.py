"""The import's bookkeeping: which participant and pathway each external case became."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CaseImport, Participant, Pathway, utcnow


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
    row = new_case_record(unit_id, external_id, participant_id, fingerprint, steps_total)
    session.add(row)
    await session.flush()
    return row


def new_case_record(
    unit_id: uuid.UUID,
    external_id: str,
    participant_id: uuid.UUID,
    fingerprint: str,
    steps_total: int,
) -> CaseImport:
    """The bookkeeping row of a case just registered (its pathway noted once it started)."""
    now = utcnow()
    return CaseImport(
        unit_id=unit_id,
        external_id=external_id,
        participant_id=participant_id,
        fingerprint=fingerprint,
        steps_total=steps_total,
        steps_sent=0,
        created_at=now,
        updated_at=now,
    )


async def earlier_imports(
    session: AsyncSession, unit_id: uuid.UUID, external_ids: list[str]
) -> dict[str, CaseImport]:
    """What earlier runs made of these cases of one unit, by case id."""
    query = select(CaseImport).where(
        CaseImport.unit_id == unit_id, CaseImport.external_id.in_(external_ids)
    )
    return {row.external_id: row for row in (await session.execute(query)).scalars()}


async def registered_pesels(
    session: AsyncSession, unit_id: uuid.UUID, pesels: list[str]
) -> set[str]:
    """Which of these PESELs the unit already has a participant with."""
    query = select(Participant.pesel).where(
        Participant.unit_id == unit_id, Participant.pesel.in_(pesels)
    )
    return {p for p in (await session.execute(query)).scalars() if p}


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


async def note_all_progress(
    session: AsyncSession, progress: list[tuple[uuid.UUID, str, uuid.UUID, int]]
) -> None:
    """`note_progress` for many cases at once: (unit, case id, pathway, steps accepted)."""
    if not progress:
        return
    now = utcnow()
    await session.execute(
        update(CaseImport),
        [
            {
                "unit_id": unit_id,
                "external_id": external_id,
                "pathway_id": pathway_id,
                "steps_sent": steps,
                "updated_at": now,
            }
            for unit_id, external_id, pathway_id, steps in progress
        ],
    )
