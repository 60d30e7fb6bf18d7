"""The worker's Temporal SDK metrics in Prometheus format, only when an address is set."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from core.metrics import temporal_runtime
from core.settings import Settings
from core.temporal import connect_temporal
from tests.resilience.processes import free_port
from tests.support import eventually
from worker.main import build_worker


def test_no_address_no_runtime(settings: Settings) -> None:
    assert temporal_runtime(settings) is None


async def test_a_worker_serves_the_sdk_metrics_on_the_configured_address(
    settings: Settings,
    dev_server: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
) -> None:
    address = f"127.0.0.1:{free_port()}"
    enabled = settings.model_copy(
        update={
            "worker_metrics_address": address,
            "temporal_address": dev_server.client.service_client.config.target_host,
        }
    )
    runtime = temporal_runtime(enabled)
    assert runtime is not None
    client = await connect_temporal(enabled, None, runtime=runtime)
    async with build_worker(client, task_queue, sessions), httpx.AsyncClient() as http:

        async def scraped() -> str | None:
            text = (await http.get(f"http://{address}/metrics")).text
            return text if "temporal_worker_start" in text else None

        text = await eventually(scraped, timeout=20)
    assert f'task_queue="{task_queue}"' in text
    assert 'service="pathways"' in text
