"""Temporal stopped and started again on its persistent file: the API answers 503 while it is
down, records nothing by halves, and afterwards nothing is lost and the worker carries on."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from core.settings import Settings
from db.models import Pathway
from domain.calendar import local_date
from tests.resilience.casework import act, active_kis_pathway, assert_recorded_once, attendance
from tests.resilience.processes import Child, TemporalDevServer, child, temporal_dev_server
from tests.support import Staff, person

# The client retries an unreachable server for `temporal_retry_seconds` (3 s), then the API
# answers; this bounds the whole answer.
ANSWER_WITHIN_SECONDS = 8


@pytest.fixture
async def temporal_server(tmp_path: Path) -> AsyncIterator[TemporalDevServer]:
    """A dev server of this test's own, which it stops and starts again."""
    async with temporal_dev_server(tmp_path) as server:
        yield server


@pytest.fixture
def temporal_address(temporal_server: TemporalDevServer) -> str:
    """The test's Temporal is its own server."""
    return temporal_server.address


@pytest.fixture
async def worker(settings: Settings, tmp_path: Path) -> AsyncIterator[Child]:
    """The worker as a process of its own."""
    async with child("worker", settings, tmp_path / "worker.log") as proc:
        yield proc


async def _unavailable(answer: asyncio.Task[httpx.Response]) -> None:
    async with asyncio.timeout(ANSWER_WITHIN_SECONDS):
        response = await answer
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "temporal_unavailable"


async def _pathways_of(sessions: async_sessionmaker[AsyncSession], participant_id: str) -> int:
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Pathway)
            .where(Pathway.participant_id == uuid.UUID(participant_id))
        )
    return int(count or 0)


async def test_while_temporal_is_down_the_api_answers_503_and_records_nothing_by_halves(
    api: httpx.AsyncClient,
    staff: Staff,
    temporal_server: TemporalDevServer,
    worker: Child,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
) -> None:
    pathway_id = await active_kis_pathway(api, staff)
    newcomer = await api.post("/participants", json=person(), headers=staff.caseworker)
    start = {"programme": "kis", "start_date": local_date(datetime.now(UTC)).isoformat()}
    key = str(uuid.uuid4())

    await temporal_server.stop()
    opening = f"/participants/{newcomer.json()['id']}/pathways"
    await _unavailable(asyncio.create_task(api.post(opening, json=start, headers=staff.caseworker)))
    assert await _pathways_of(sessions, newcomer.json()["id"]) == 0  # registration rolled back
    await _unavailable(asyncio.create_task(act(api, staff, pathway_id, attendance("2"), key)))
    await _unavailable(
        asyncio.create_task(api.get(f"/pathways/{pathway_id}", headers=staff.caseworker))
    )

    await temporal_server.start()
    opened = await api.post(opening, json=start, headers=staff.caseworker)
    assert opened.status_code == 201, opened.text  # no half-made pathway blocks the newcomer
    retried = await act(api, staff, pathway_id, attendance("2"), key)
    assert retried.status_code == 200, retried.text
    assert "Idempotent-Replayed" not in retried.headers  # the refused try left no answer behind
    await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["2"])
    assert worker.running(), worker.output()


async def test_a_temporal_restart_loses_nothing_and_the_worker_carries_on(
    api: httpx.AsyncClient,
    staff: Staff,
    temporal_server: TemporalDevServer,
    worker: Child,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
) -> None:
    pathway_id = await active_kis_pathway(api, staff)
    for hours in ("1", "1.5"):
        assert (await act(api, staff, pathway_id, attendance(hours))).status_code == 200
    await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["1", "1.5"])

    await temporal_server.stop()
    await temporal_server.start()

    for hours in ("2", "2.5"):
        answer = await act(api, staff, pathway_id, attendance(hours))
        assert answer.status_code == 200, answer.text
    await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["1", "1.5", "2", "2.5"])
    assert worker.running(), worker.output()
