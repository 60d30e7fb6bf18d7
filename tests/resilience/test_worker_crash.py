"""A worker killed with SIGKILL in the middle of a projection, then started again: the step is in
the history once and reaches the read model once."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client

from core.settings import Settings
from domain.workflow_ids import workflow_id
from tests.resilience.casework import act, active_kis_pathway, assert_recorded_once, attendance
from tests.resilience.processes import child
from tests.resilience.proxy import TcpProxy
from tests.support import Staff, eventually


async def projection_in_flight(temporal: Client, pathway_id: str) -> bool:
    """A worker has started the pathway's projection activity and not finished it."""
    described = await temporal.get_workflow_handle(workflow_id(pathway_id)).describe()
    return any(
        activity.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
        for activity in described.raw_description.pending_activities
    )


async def test_a_worker_killed_mid_projection_loses_nothing_and_records_nothing_twice(
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

        db_proxy.stall()  # the projection's statements hang on their way to the database
        assert (await act(api, staff, pathway_id, attendance("3"))).status_code == 200
        await eventually(lambda: projection_in_flight(temporal, pathway_id), timeout=20)
        await worker.kill()
        db_proxy.resume()

        worker.start()
        answer = await act(api, staff, pathway_id, attendance("4"))
        assert answer.status_code == 200, answer.text
        await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["3", "4"])
        assert worker.running(), worker.output()
