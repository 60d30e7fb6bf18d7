"""The two comparisons, run against one stack: pathway starts and caseworker-action latency."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from time import perf_counter

import httpx

from bench import cpu
from bench.baseline import BareTemporal
from bench.pathways import ATTENDANCE, PathwayApi
from bench.plan import Plan
from bench.stack import Stack
from bench.timing import Latency, Throughput, paired_latency, throughput

CASEWORKER = "anna.kowalska"
# After the API's starts, the time their last first tasks are given (CPU measured, not timed).
SETTLE_SECONDS = 3.0


@dataclass(frozen=True)
class Starts:
    """The start phases: the API's, the bare sides', and the CPU each took by process."""

    api: Throughput
    bare: Throughput
    # The same bare starts timed until their workflows ended (their one activity and completion
    # run mostly after the starts' window; a pathway's first task runs inside the API's).
    bare_run_through: Throughput
    # Bare starts of a workflow shaped like a new pathway (its four search attributes, a first
    # task that starts one timer), timed until those first tasks have run, as the API's are.
    bare_first_tasks: Throughput
    # Milliseconds of CPU a start, by phase and then by process (empty without /proc).
    cpu_ms: dict[str, cpu.Reading]
    pathways: list[str]


@dataclass(frozen=True)
class Results:
    """Everything the report prints."""

    database_kind: str
    plan: Plan
    starts: Starts
    api_actions: Latency
    bare_updates: Latency


async def compare(stack: Stack, plan: Plan) -> Results:
    """Set up the participants, then measure starts, then action latency."""
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, so none is reused
    # just as the server closes it.
    limits = httpx.Limits(max_connections=plan.concurrency + 5,
                          max_keepalive_connections=plan.concurrency + 5, keepalive_expiry=2)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=plan.request_seconds,
                                 limits=limits) as http:
        api = PathwayApi(http)
        await api.login(CASEWORKER, stack.settings.demo_password)
        bare = BareTemporal(stack.client, stack.baseline_queue)
        starts = await _starts(api, bare, plan, _Meter(stack.processes, plan.count))
        api_actions, bare_updates = await _actions(api, bare, starts.pathways, plan)
    return Results(database_kind=stack.database_kind, plan=plan, starts=starts,
                   api_actions=api_actions, bare_updates=bare_updates)


class _Meter:
    """CPU by process over the phases measured, per start."""

    def __init__(self, processes: dict[str, cpu.Pids], starts: int) -> None:
        self._processes = processes
        self._starts = starts
        self.phases: dict[str, cpu.Reading] = {}

    @asynccontextmanager
    async def phase(self, name: str) -> AsyncIterator[None]:
        """Measure the CPU of what runs inside, under `name`."""
        if not self._processes:
            yield
            return
        before = cpu.read(self._processes)
        yield
        self.phases[name] = cpu.per_item(before, cpu.read(self._processes), self._starts)


async def _starts(api: PathwayApi, bare: BareTemporal, plan: Plan, meter: _Meter) -> Starts:
    warm = plan.concurrency
    participants: list[str] = []

    async def register(number: int) -> None:
        participants.append(await api.register(number))

    setup = await throughput(warm + plan.count, plan.concurrency, register, plan.phase_seconds)
    if setup.failed:
        raise RuntimeError(f"registering participants failed: {setup.first_error}")
    pathways: list[str] = []

    async def open_pathway(index: int) -> None:
        pathways.append(await api.open_pathway(participants[index]))

    # Warm-up, untimed: connections, caches, the first workflow tasks of both workers.
    await throughput(warm, plan.concurrency, bare.start, plan.phase_seconds)
    await bare.drain(plan.phase_seconds)
    await throughput(warm, plan.concurrency, bare.start_shaped, plan.phase_seconds)
    await bare.last_first_tasks(plan.phase_seconds)
    await bare.count_first_tasks()
    await throughput(warm, plan.concurrency, open_pathway, plan.phase_seconds)

    async with meter.phase("bare starts, accepted (their window)"):
        bare_starts = await throughput(plan.count, plan.concurrency, bare.start,
                                       plan.phase_seconds)
    began = perf_counter()
    async with meter.phase("... their activities and completions (after it)"):
        ended = await bare.drain(plan.phase_seconds)  # must not weigh on the API's turn
    run_through = Throughput(done=ended, failed=plan.count - ended,
                             seconds=bare_starts.seconds + perf_counter() - began,
                             first_error=bare_starts.first_error)
    await asyncio.sleep(1)
    first_tasks = await _first_tasks(bare, plan, meter)
    await asyncio.sleep(1)
    async with meter.phase("API starts (their window)"):
        api_starts = await throughput(plan.count, plan.concurrency,
                                      lambda i: open_pathway(warm + i), plan.phase_seconds)
    async with meter.phase(f"... the rest of their first tasks ({SETTLE_SECONDS:g} s after)"):
        await asyncio.sleep(SETTLE_SECONDS)
    return Starts(api=api_starts, bare=bare_starts, bare_run_through=run_through,
                  bare_first_tasks=first_tasks, cpu_ms=meter.phases, pathways=pathways)


async def _first_tasks(bare: BareTemporal, plan: Plan, meter: _Meter) -> Throughput:
    """Pathway-shaped bare starts, timed until the last ones' first tasks have run; the check
    of all the others comes after the clock and the CPU meter have stopped."""
    async with meter.phase("bare pathway-shaped starts, through their first task"):
        began = perf_counter()
        started = await throughput(plan.count, plan.concurrency, bare.start_shaped,
                                   plan.phase_seconds)
        await bare.last_first_tasks(plan.phase_seconds)
        seconds = perf_counter() - began
    done = await bare.count_first_tasks()
    return Throughput(done=done, failed=plan.count - done, seconds=seconds,
                      first_error=started.first_error)


async def _actions(api: PathwayApi, bare: BareTemporal, pathways: list[str],
                   plan: Plan) -> tuple[Latency, Latency]:
    active = pathways[:plan.active_pathways]
    if not active:
        raise RuntimeError("no pathway was opened, so no action can be measured")
    await asyncio.gather(*(api.make_active(p) for p in active))
    counter = await bare.open_counter()
    try:
        api_actions, bare_updates = await paired_latency(
            plan.samples, plan.warmup,
            lambda i: api.act(active[i % len(active)], ATTENDANCE),
            lambda _: bare.bump(counter), plan.phase_seconds)
    finally:
        await bare.close_counter(counter, 30)
    return api_actions, bare_updates
