"""The whole product in one process: Temporal dev server, database, workers, API on uvicorn."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.accounts import seed
from api.app import create_app
from bench.database import fresh_database
from bench.plan import Plan
from bench.trivial import CounterWorkflow, EchoWorkflow, echo
from core.logging import configure_logging
from core.settings import Settings
from db.migrate import upgrade_database
from db.session import create_engine, create_sessionmaker
from worker.main import build_worker

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
                dev_server_startup_timeout=timedelta(seconds=60))
        stack.push_async_callback(env.shutdown)
        database = await stack.enter_async_context(fresh_database(plan.use_postgres))
        await asyncio.to_thread(upgrade_database, database.url)
        quiet_logs()  # again: the migration may have touched the logging set-up
        settings = Settings(database_url=database.url, environment="test",
                            secret_key=secrets.token_urlsafe(32),
                            temporal_task_queue=f"bench-pathways-{uuid.uuid4()}")
        engine = create_engine(database.url)
        stack.push_async_callback(engine.dispose)
        sessions = create_sessionmaker(engine)
        await seed(sessions, settings.admin_username, settings.admin_password,
                   settings.demo_password)
        await stack.enter_async_context(
            build_worker(env.client, settings.temporal_task_queue, sessions))
        baseline_queue = f"bench-baseline-{uuid.uuid4()}"
        await stack.enter_async_context(Worker(
            env.client, task_queue=baseline_queue, workflows=[EchoWorkflow, CounterWorkflow],
            activities=[echo], graceful_shutdown_timeout=timedelta(seconds=5)))
        base_url = await stack.enter_async_context(
            serving(create_app(settings, temporal=env.client)))
        yield Stack(client=env.client, base_url=base_url, baseline_queue=baseline_queue,
                    database_kind=database.kind, settings=settings)


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


@asynccontextmanager
async def serving(app: FastAPI, startup_seconds: float = 30) -> AsyncIterator[str]:
    """Serve the app with uvicorn on a free port of 127.0.0.1 in this event loop; its base URL."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only when the listening
    # socket names its protocol; without it every response waits out a 40 ms delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False,
                            lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(startup_seconds):
            while not server.started:
                if task.done():
                    await task
                    raise RuntimeError("the API stopped while starting")
                await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        try:
            async with asyncio.timeout(30):
                await task
        except TimeoutError:
            task.cancel()
        sock.close()
