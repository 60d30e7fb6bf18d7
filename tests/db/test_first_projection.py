"""A new pathway's first projection, written in its registration's transaction, leaves the read
model exactly as the workflow's projection of the same snapshot would: events, columns, deadlines,
reports' rows, months and benefits (an imported CIS case with a back-dated month: each is there)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import projection
from db.session import unit_of_work
from domain.views import snapshot
from tests.db.rows import cis_october, pathway_rows, twin_cis_pathways

# Anchored: the steps are back-dated to October 2026 and the first state is computed at this moment.
AT = datetime(2026, 11, 16, 9, tzinfo=UTC)


async def test_a_registrations_first_projection_writes_what_the_workflows_would(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    states = await twin_cis_pathways(sessions, cis_october(), AT)
    snaps = [snapshot(state, 0, len(state.timeline)) for state in states]
    assert snaps[0].deadlines and len(snaps[0].events) > 20  # the comparison has something to see

    async with unit_of_work(sessions) as session:
        await projection.project_new_pathway(session, snaps[0])
    async with unit_of_work(sessions) as session:
        await projection.project_with_reports(session, snaps[1])

    async with sessions() as session:
        new, usual = [await pathway_rows(session, uuid.UUID(s.pathway_id)) for s in snaps]
    assert new["pathway_months"] and any(m["benefit_amount"] for m in new["pathway_months"])
    assert new == usual
