"""A worker asked to stop (SIGTERM, as an orchestrator does) finishes its in-flight activity
before it exits."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from core.settings import Settings
from db.models import Pathway
from tests.resilience.casework import act, active_kis_pathway, assert_recorded_once, attendance
from tests.resilience.processes import Child, child
from tests.resilience.proxy import TcpProxy
from tests.resilience.test_worker_crash import projection_in_flight
from tests.support import Staff, eventually


async def _stopping(worker: Child) -> bool:
    return "worker_stopping" in worker.output()


async def test_a_stopping_worker_finishes_its_in_flight_projection_and_exits_cleanly(
    api: httpx.AsyncClient,
    staff: Staff,
    proxied_settings: Settings,
    db_proxy: TcpProxy,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
    tmp_path: Path,
) -> None:
    async with child("worker", proxied_settings, tmp_path / "worker.log") as worker:
        pathway_id = await active_kis_pathway(api, staff)
        await assert_recorded_once(api, staff, sessions, temporal, pathway_id, [])
        db_proxy.stall()
        answer = await act(api, staff, pathway_id, attendance("9"))
        assert answer.status_code == 200, answer.text
        await eventually(lambda: projection_in_flight(temporal, pathway_id), timeout=20)

        assert worker.process is not None
        worker.process.terminate()
        await eventually(lambda: _stopping(worker), timeout=10)
        db_proxy.resume()
        assert await worker.stop() == 0, worker.output()

    async with sessions() as session:  # written by the stopping worker: no other one ran
        last_seq = await session.scalar(
            select(Pathway.last_seq).where(Pathway.id == uuid.UUID(pathway_id))
        )
    assert last_seq == answer.json()["timeline"][-1]["seq"]
    async with child("worker", proxied_settings, tmp_path / "worker.log"):
        await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["9"])
