"""`python -m bench.history`: how long a pathway's history grows in the worst case.

24 months of CIS (12 + a 12-month extension) with attendance recorded every weekday, played
back-dated on a Temporal dev server with its default continue-as-new suggestion. Prints the
number of runs and the events per run; the projection activity is a stand-in (it adds the same
events to the history as the real one).
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter

from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.read_model import ProjectionResult
from core.temporal import exit_past_the_runtime
from domain.actions import ACTION_ADAPTER
from domain.calendar import add_months, local_date
from domain.pathway import PathwayInput, PathwaySnapshot, StepRequest
from domain.roles import Role
from domain.stages import Programme
from workflows import search_attributes
from workflows.pathway import ParticipantPathwayWorkflow

QUEUE = "bench-history"


@activity.defn(name="project_pathway")
async def project_pathway(snap: PathwaySnapshot) -> ProjectionResult:
    """Stand-in for the read model."""
    return ProjectionResult(last_seq=snap.last_seq, events_written=len(snap.events))


async def play(client: Client) -> tuple[str, str, int]:
    """Play the 24 months; the workflow id, the first run id and the steps taken."""
    admitted = add_months(local_date(datetime.now(UTC)), -25)
    pathway_id = str(uuid.uuid4())
    handle = await client.start_workflow(
        ParticipantPathwayWorkflow.run,
        PathwayInput(pathway_id=pathway_id, participant_id=str(uuid.uuid4()),
                     programme=Programme.CIS, started_on=admitted),
        id=f"pathway-{pathway_id}", task_queue=QUEUE)
    steps = 0

    # As a supervisor: under the law of 2025 the IPZS and the trial are the head's decisions.
    async def step(type_: str, on: date, role: Role = Role.SUPERVISOR, **fields: object) -> None:
        nonlocal steps
        action = ACTION_ADAPTER.validate_python({"type": type_, "occurred_on": on, **fields})
        await client.get_workflow_handle(handle.id).execute_update(
            ParticipantPathwayWorkflow.act, StepRequest(action=action, actor="bench", role=role))
        steps += 1

    await step("sign_ipzs", admitted)
    trial_passed = admitted + timedelta(days=25)
    extended = admitted + timedelta(days=300)
    end = add_months(admitted, 24) - timedelta(days=1)
    day = admitted
    while day <= end:
        if day == trial_passed:
            await step("pass_trial", day)
        if day == extended:
            await step("extend", day, Role.SUPERVISOR, months=12, justification="worst case")
        if day.weekday() < 5:
            await step("record_attendance", day, hours="7")
        day += timedelta(days=1)
    await step("complete_cis", end)
    assert handle.result_run_id is not None
    return handle.id, handle.result_run_id, steps


async def events_per_run(
    client: Client, workflow_id: str, first_run: str
) -> list[tuple[int, int]]:
    """Follow the chain of runs from the first; the number of events in each, and their bytes."""
    counts: list[tuple[int, int]] = []
    run_id: str | None = first_run
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        counts.append((len(history.events), sum(e.ByteSize() for e in history.events)))
        last = history.events[-1]
        continued = last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
        attributes = last.workflow_execution_continued_as_new_event_attributes
        run_id = attributes.new_execution_run_id if continued else None
    return counts


async def main() -> None:
    """Run and print."""
    began = perf_counter()
    async with await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        data_converter=pydantic_data_converter, dev_server_log_level="error",
        search_attributes=search_attributes.ALL,
    ) as env, Worker(env.client, task_queue=QUEUE, workflows=[ParticipantPathwayWorkflow],
                     activities=[project_pathway]):
        workflow_id, first_run, steps = await play(env.client)
        await asyncio.sleep(1)  # let the last projection settle before counting
        runs = await events_per_run(env.client, workflow_id, first_run)
    counts, sizes = [n for n, _ in runs], [b for _, b in runs]
    print(f"history: 24 months of CIS, {steps} steps (daily attendance on weekdays)")
    print(f"history: {len(counts)} runs; events per run: max {max(counts)}, "
          f"total {sum(counts)}; each run: {counts}")
    print(f"history: bytes per run: max {max(sizes):,}, total {sum(sizes):,} "
          f"({sum(sizes) // steps:,} per step)")
    print(f"history: measured in {perf_counter() - began:.0f} s")


if __name__ == "__main__":
    asyncio.run(main())
    exit_past_the_runtime(0)
