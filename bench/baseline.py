"""Bare Temporal, driven with the same client as the API: starts and Update round trips."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from temporalio.client import Client, WorkflowHandle

from bench.trivial import BumpInput, CounterInput, CounterWorkflow, EchoInput, EchoWorkflow


class BareTemporal:
    """Starts trivial workflows and bumps a counter workflow on the baseline task queue."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue
        self._started: list[WorkflowHandle[EchoWorkflow, object]] = []

    async def start(self, number: int) -> None:
        """Start one echo workflow (accepted by the server; the activity runs afterwards)."""
        handle = await self._client.start_workflow(
            EchoWorkflow.run, EchoInput(number=number), id=f"bench-echo-{uuid.uuid4()}",
            task_queue=self._task_queue, execution_timeout=timedelta(minutes=10))
        self._started.append(handle)

    async def drain(self, seconds: float) -> int:
        """Wait until every started echo workflow has finished; how many finished."""
        handles, self._started = self._started, []
        async with asyncio.timeout(seconds):
            results = await asyncio.gather(*(h.result() for h in handles), return_exceptions=True)
        return sum(not isinstance(r, BaseException) for r in results)

    async def open_counter(self) -> WorkflowHandle[CounterWorkflow, object]:
        """Start a counter workflow to send Updates to."""
        return await self._client.start_workflow(
            CounterWorkflow.run, CounterInput(), id=f"bench-counter-{uuid.uuid4()}",
            task_queue=self._task_queue, execution_timeout=timedelta(minutes=30))

    @staticmethod
    async def bump(handle: WorkflowHandle[CounterWorkflow, object]) -> None:
        """One validated Update round trip."""
        await handle.execute_update(CounterWorkflow.bump, BumpInput(amount=1))

    @staticmethod
    async def close_counter(handle: WorkflowHandle[CounterWorkflow, object],
                            seconds: float) -> None:
        """Let the counter workflow end."""
        async with asyncio.timeout(seconds):
            await handle.signal(CounterWorkflow.close)
            await handle.result()
