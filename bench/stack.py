"""The stack: Temporal dev server and database here; the API and the workers as processes."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import secrets
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from bench import cpu
from bench.database import fresh_database
from bench.plan import Plan
from bench.processes import child, free_port, settings_env, wait_until_ready
from core.logging import configure_logging
from core.settings import Settings
from db.migrate import upgrade_database
from services.accounts import seed
from services.context import open_services
from workflows import search_attributes

NOISY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "temporalio", "alembic",
                 "sqlalchemy", "httpx", "httpcore")


@dataclass(frozen=True)
class Stack:
    """What the measurements need from the running stack."""

    client: Client
    base_url: str
    baseline_queue: str
    database_kind: str
    settings: Settings
    # The processes whose CPU a phase is measured by (empty where /proc cannot be read).
    processes: dict[str, cpu.Pids]


def quiet_logs() -> None:
    """Only warnings and errors from structlog, uvicorn, Temporal and the rest, on stderr."""
    configure_logging("test", level=logging.WARNING)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


@asynccontextmanager
async def running_stack(plan: Plan) -> AsyncIterator[Stack]:
    """Start everything; stop and remove everything afterwards, even on error."""
    async with AsyncExitStack() as stack:
        with _child_stdout_discarded():
            env = await WorkflowEnvironment.start_local(
                data_converter=pydantic_data_converter,
                dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
                dev_server_log_level="error",
                search_attributes=search_attributes.ALL,
                dev_server_startup_timeout=timedelta(seconds=60))
        stack.push_async_callback(env.shutdown)
        database = await stack.enter_async_context(fresh_database(plan.use_postgres))
        await asyncio.to_thread(upgrade_database, database.url)
        quiet_logs()  # again: the migration may have touched the logging set-up
        payload_keys = {"bench": base64.b64encode(secrets.token_bytes(32)).decode()}
        settings = Settings(database_url=database.url, environment="test",
                            secret_key=secrets.token_urlsafe(32),
                            admin_password=secrets.token_urlsafe(16),
                            payload_keys=payload_keys, payload_key_id="bench",
                            temporal_task_queue=f"bench-pathways-{uuid.uuid4()}")
        async with open_services(settings, connect=False) as services:
            await seed(services, settings.admin_username, settings.admin_password,
                       settings.demo_password)
        address = env.client.service_client.config.target_host
        port = free_port()
        env_vars = settings_env({
            "database_url": database.url, "environment": "test",
            "secret_key": settings.secret_key, "admin_password": settings.admin_password,
            "payload_keys": json.dumps(payload_keys), "payload_key_id": "bench",
            "temporal_address": address,
            "temporal_task_queue": settings.temporal_task_queue,
            "api_host": "127.0.0.1", "api_port": str(port)})
        worker = await stack.enter_async_context(child(["-m", "worker.cli", "worker"], env_vars))
        api = await stack.enter_async_context(child(["-m", "worker.cli", "api"], env_vars))
        baseline_queue = f"bench-baseline-{uuid.uuid4()}"
        baseline = await stack.enter_async_context(
            child(["-m", "bench.baseline_worker", address, baseline_queue], os.environ))
        base_url = f"http://127.0.0.1:{port}"
        await wait_until_ready(base_url, api)
        processes = _processes(address, database.kind, api.pid, worker.pid, baseline.pid)
        yield Stack(client=env.client, base_url=base_url, baseline_queue=baseline_queue,
                    database_kind=database.kind, settings=settings, processes=processes)


def _processes(address: str, database_kind: str, api: int, worker: int,
               baseline: int) -> dict[str, cpu.Pids]:
    if not cpu.available():
        return {}
    processes = {
        "Temporal server": cpu.pids_whose_command("start-dev", f"--port {address.rsplit(':')[-1]}"),
        "API": cpu.fixed(api),
        "worker": cpu.fixed(worker),
        "bare worker": cpu.fixed(baseline),
    }
    if database_kind == "PostgreSQL":  # the server's own processes, backends included
        processes["PostgreSQL"] = cpu.pids_whose_command("postgres: ")
    return processes


@contextmanager
def _child_stdout_discarded() -> Iterator[None]:
    """Processes spawned inside inherit /dev/null as stdout (the dev server prints a banner)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
