"""The worker process: connects to Temporal and the database, runs workflows and activities."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.read_model import ReadModelActivities
from core.settings import Settings
from core.temporal import connect_temporal
from db.session import create_engine, create_sessionmaker
from workflows.pathway import ParticipantPathwayWorkflow

log = structlog.get_logger(__name__)

# In-flight activities get this long to finish when the worker is asked to stop.
SHUTDOWN_GRACE = timedelta(seconds=20)


def build_worker(
    client: Client, task_queue: str, sessions: async_sessionmaker[AsyncSession]
) -> Worker:
    """A worker with every workflow and activity of the product."""
    read_model = ReadModelActivities(sessions)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[ParticipantPathwayWorkflow],
        activities=[read_model.project_pathway],
        graceful_shutdown_timeout=SHUTDOWN_GRACE,
    )


async def run_worker(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then let in-flight activities finish."""
    engine = create_engine(settings.database_url)
    client = await connect_temporal(settings)
    worker = build_worker(client, settings.temporal_task_queue, create_sessionmaker(engine))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("worker_started", task_queue=settings.temporal_task_queue)
    async with worker:
        await stop.wait()
        log.info("worker_stopping")
    await engine.dispose()
