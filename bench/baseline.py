"""Bare Temporal, driven with the same client as the API: starts and Update round trips."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from bench.trivial import (
    BumpInput,
    CounterInput,
    CounterWorkflow,
    EchoInput,
    EchoWorkflow,
    PathwayShapedWorkflow,
    WaitInput,
)
from workflows import search_attributes

# A new KIS pathway's attributes and first timer, as the API starts one (values of the same kind).
PATHWAY_ATTRIBUTES = TypedSearchAttributes([
    SearchAttributePair(search_attributes.STAGE, "kis_diagnosis"),
    SearchAttributePair(search_attributes.PROGRAMME, "kis"),
    SearchAttributePair(search_attributes.UNIT, "BENCH"),
    SearchAttributePair(search_attributes.NEXT_DEADLINE, datetime(2027, 6, 1, tzinfo=UTC)),
])
PATHWAY_TIMER_DAYS = 180
# A workflow whose first task has completed and started its timer has at least these events:
# started, task scheduled, task started, task completed, timer started.
FIRST_TASK_EVENTS = 5
# The tail whose first tasks are awaited (and timed); the rest are checked after the clock stops.
TAIL = 20


class BareTemporal:
    """Starts trivial workflows and bumps a counter workflow on the baseline task queue."""

    def __init__(self, client: Client, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue
        self._started: list[WorkflowHandle[EchoWorkflow, object]] = []
        self._shaped: list[WorkflowHandle[PathwayShapedWorkflow, object]] = []

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

    async def start_shaped(self, number: int) -> None:
        """Start one pathway-shaped workflow with the pathway's search attributes."""
        handle = await self._client.start_workflow(
            PathwayShapedWorkflow.run, WaitInput(days=PATHWAY_TIMER_DAYS),
            id=f"bench-shaped-{number}-{uuid.uuid4()}", task_queue=self._task_queue,
            search_attributes=PATHWAY_ATTRIBUTES)
        self._shaped.append(handle)

    async def last_first_tasks(self, seconds: float) -> None:
        """Wait until the last pathway-shaped workflows started have run their first task (the
        tail finishes last; `count_first_tasks` checks the rest after the clock has stopped)."""
        async with asyncio.timeout(seconds):
            for handle in self._shaped[-TAIL:]:
                while await _events(handle) < FIRST_TASK_EVENTS:
                    await asyncio.sleep(0.02)

    async def count_first_tasks(self) -> int:
        """How many of the pathway-shaped workflows started have run their first task; forgets
        them."""
        handles, self._shaped = self._shaped, []
        return sum([await _events(h) >= FIRST_TASK_EVENTS for h in handles])

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


async def _events(handle: WorkflowHandle[PathwayShapedWorkflow, object]) -> int:
    described = await handle.describe()
    return int(described.raw_description.workflow_execution_info.history_length)
