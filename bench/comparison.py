"""The two comparisons, run against one stack: pathway starts and caseworker-action latency."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from time import perf_counter

import httpx

from bench.baseline import BareTemporal
from bench.pathways import ATTENDANCE, PathwayApi
from bench.plan import Plan
from bench.stack import Stack
from bench.timing import Latency, Throughput, paired_latency, throughput

CASEWORKER = "anna.kowalska"


@dataclass(frozen=True)
class Results:
    """Everything the report prints."""

    database_kind: str
    plan: Plan
    api_starts: Throughput
    bare_starts: Throughput
    # The same bare starts timed until their workflows ended (their one activity and completion
    # run mostly after the starts' window; a pathway's first task runs inside the API's).
    bare_run_through: Throughput
    # Bare starts of a workflow shaped like a new pathway (its four search attributes, a first
    # task that starts one timer), timed until those first tasks have run, as the API's are.
    bare_first_tasks: Throughput
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
        api_starts, bare_sides, pathways = await _starts(api, bare, plan)
        api_actions, bare_updates = await _actions(api, bare, pathways, plan)
    bare_starts, bare_run_through, bare_first_tasks = bare_sides
    return Results(database_kind=stack.database_kind, plan=plan, api_starts=api_starts,
                   bare_starts=bare_starts, bare_run_through=bare_run_through,
                   bare_first_tasks=bare_first_tasks, api_actions=api_actions,
                   bare_updates=bare_updates)


async def _starts(
    api: PathwayApi, bare: BareTemporal, plan: Plan
) -> tuple[Throughput, tuple[Throughput, Throughput, Throughput], list[str]]:
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

    bare_starts = await throughput(plan.count, plan.concurrency, bare.start, plan.phase_seconds)
    began = perf_counter()
    ended = await bare.drain(plan.phase_seconds)  # its activities must not weigh on the API's turn
    run_through = Throughput(done=ended, failed=plan.count - ended,
                             seconds=bare_starts.seconds + perf_counter() - began,
                             first_error=bare_starts.first_error)
    await asyncio.sleep(1)
    first_tasks = await _first_tasks(bare, plan)
    await asyncio.sleep(1)
    api_starts = await throughput(plan.count, plan.concurrency,
                                  lambda i: open_pathway(warm + i), plan.phase_seconds)
    return api_starts, (bare_starts, run_through, first_tasks), pathways


async def _first_tasks(bare: BareTemporal, plan: Plan) -> Throughput:
    """Pathway-shaped bare starts, timed until the last ones' first tasks have run."""
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
