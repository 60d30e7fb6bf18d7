"""Scans' rows: the sealed content and what may be shown of it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from db.month_end_models import Scan


async def add_scan(session: AsyncSession, scan: Scan) -> None:
    """Store a sealed scan."""
    session.add(scan)
    await session.flush()


async def scans_of(session: AsyncSession, pathway_id: uuid.UUID) -> list[Scan]:
    """A pathway's scans, oldest first."""
    query = (
        select(Scan)
        .options(defer(Scan.sealed))
        .where(Scan.pathway_id == pathway_id)
        .order_by(Scan.uploaded_at, Scan.id)
    )
    return list((await session.execute(query)).scalars())


async def scan_of(session: AsyncSession, pathway_id: uuid.UUID, scan_id: uuid.UUID) -> Scan | None:
    """One scan of the pathway."""
    scan = await session.get(Scan, scan_id)
    return scan if scan is not None and scan.pathway_id == pathway_id else None


async def scans_of_participant(session: AsyncSession, participant_id: uuid.UUID) -> list[Scan]:
    """A participant's scans on every pathway, oldest first (what they are, not the content)."""
    query = (
        select(Scan)
        .options(defer(Scan.sealed))
        .where(Scan.participant_id == participant_id)
        .order_by(Scan.uploaded_at, Scan.id)
    )
    return list((await session.execute(query)).scalars())
