"""The read-model projection on the real database: idempotent, and no home for orphans."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.read_model import ReadModelActivities
from db.models import PathwayEvent
from domain.pathway import PathwayInput
from domain.steps import first_state
from domain.views import snapshot
from tests.support import Staff, person


async def test_a_snapshot_applied_twice_writes_its_events_once(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": "2025-01-02"},
        headers=staff.caseworker,
    )
    start = PathwayInput(
        pathway_id=opened.json()["id"],
        participant_id=participant["id"],
        programme="kis",
        started_on=date(2025, 1, 2),
    )
    snap = snapshot(first_state(start, datetime.now(UTC)), after_seq=0, limit=100)
    activities = ReadModelActivities(sessions)
    for _ in range(2):
        await ActivityEnvironment().run(activities.project_pathway, snap)
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(PathwayEvent)
            .where(PathwayEvent.pathway_id == uuid.UUID(snap.pathway_id))
        )
    assert count == len(snap.events) == 2  # started, and the six-month mark already reached


async def test_an_unregistered_pathway_is_refused_for_good(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    start = PathwayInput(
        pathway_id=str(uuid.uuid4()),
        participant_id=str(uuid.uuid4()),
        programme="kis",
        started_on=date(2025, 1, 2),
    )
    snap = snapshot(first_state(start, datetime.now(UTC)), after_seq=0, limit=100)
    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(ReadModelActivities(sessions).project_pathway, snap)
    assert refused.value.type == "pathway_not_registered" and refused.value.non_retryable
