"""The API killed after a step reached Temporal but before it answered, then started again: the
client's retry with the same Idempotency-Key gets the step's answer, and it is recorded once."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from domain.workflow_ids import workflow_id
from tests.resilience.casework import active_kis_pathway, assert_recorded_once, attendance
from tests.resilience.processes import child, free_port, wait_for_api
from tests.support import Staff, eventually
from worker.main import build_worker


async def step_waits_for_a_worker(temporal: Client, pathway_id: str) -> bool:
    """Temporal holds a step for the pathway and has scheduled the task that will run it."""
    described = await temporal.get_workflow_handle(workflow_id(pathway_id)).describe()
    return described.raw_description.HasField("pending_workflow_task")


async def idle(temporal: Client, pathway_id: str) -> bool:
    """The pathway's workflow waits for news: no task and no activity pending."""
    described = await temporal.get_workflow_handle(workflow_id(pathway_id)).describe()
    raw = described.raw_description
    return not raw.HasField("pending_workflow_task") and not raw.pending_activities


async def test_a_retry_after_the_api_died_mid_step_gets_the_answer_and_records_once(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    dev_server: WorkflowEnvironment,
    task_queue: str,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
    tmp_path: Path,
) -> None:
    async with build_worker(dev_server.client, task_queue, sessions):
        pathway_id = await active_kis_pathway(api, staff)
        await eventually(lambda: idle(temporal, pathway_id), timeout=10)
    # No worker now: the step below is accepted by Temporal and waits there to be run.
    port = free_port()
    api_settings = settings.model_copy(update={"api_host": "127.0.0.1", "api_port": port})
    base_url = f"http://127.0.0.1:{port}"
    path = f"/api/v1/pathways/{pathway_id}/actions"
    headers = {**staff.caseworker, "Idempotency-Key": str(uuid.uuid4())}
    async with (
        child("api", api_settings, tmp_path / "api.log") as server,
        httpx.AsyncClient(base_url=base_url, timeout=30) as http,
    ):
        await wait_for_api(base_url, server)
        first = asyncio.create_task(http.post(path, json=attendance("6"), headers=headers))
        await eventually(lambda: step_waits_for_a_worker(temporal, pathway_id), timeout=10)
        await server.kill()
        with pytest.raises(httpx.TransportError):
            await first  # the client never gets an answer

        server.start()
        await wait_for_api(base_url, server)
        async with build_worker(dev_server.client, task_queue, sessions):
            retried = await http.post(path, json=attendance("6"), headers=headers)
            assert retried.status_code == 200, retried.text
            again = await http.post(path, json=attendance("6"), headers=headers)
            assert again.headers.get("Idempotent-Replayed") == "true"
            assert again.json() == retried.json()
            await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["6"])
