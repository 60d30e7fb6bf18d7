"""The cooperative founding workflow on the time-skipping server: a year passes in seconds."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.read_model import ProjectionResult
from domain.calendar import local_date
from domain.cooperative import (
    CooperativeInput,
    FoundingStep,
    MemberAddition,
    PersonKind,
    StepRecording,
)
from domain.pathway import PathwayInput, PathwayResult, PathwaySnapshot, ViewRequest
from domain.roles import Role
from domain.stages import Programme
from domain.workflow_ids import cooperative_workflow_id
from tests.support import eventually
from workflows.cooperative import CooperativeFoundingWorkflow
from workflows.pathway import ParticipantPathwayWorkflow

CoopHandle = WorkflowHandle[CooperativeFoundingWorkflow, None]
STARTED: list[WorkflowHandle[Any, Any]] = []


@activity.defn(name="project_pathway")
async def project_pathway(snap: PathwaySnapshot) -> ProjectionResult:
    """Stand-in for the read model."""
    return ProjectionResult(last_seq=snap.last_seq, events_written=len(snap.events))


@pytest.fixture
async def worker(time_skipping: WorkflowEnvironment, task_queue: str) -> AsyncIterator[None]:
    async with Worker(
        time_skipping.client,
        task_queue=task_queue,
        workflows=[CooperativeFoundingWorkflow, ParticipantPathwayWorkflow],
        activities=[project_pathway],
    ):
        yield
        # Workflows left running with no worker would stop the server skipping time for others.
        for handle in STARTED:
            with contextlib.suppress(RPCError):
                await handle.terminate()
        STARTED.clear()


async def _pathway(
    env: WorkflowEnvironment, task_queue: str
) -> WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult]:
    pathway_id = str(uuid.uuid4())
    handle = await env.client.start_workflow(
        ParticipantPathwayWorkflow.run,
        PathwayInput(
            pathway_id=pathway_id,
            participant_id=str(uuid.uuid4()),
            programme=Programme.KIS,
            started_on=local_date(await env.get_current_time()),
        ),
        id=f"pathway-{pathway_id}",
        task_queue=task_queue,
    )
    STARTED.append(handle)
    return handle


async def _cooperative(env: WorkflowEnvironment, task_queue: str) -> CoopHandle:
    cooperative_id = str(uuid.uuid4())
    handle = await env.client.start_workflow(
        CooperativeFoundingWorkflow.run,
        CooperativeInput(
            cooperative_id=cooperative_id,
            founded_by=PersonKind.NATURAL,
            created_on=local_date(await env.get_current_time()),
        ),
        id=cooperative_workflow_id(cooperative_id),
        task_queue=task_queue,
    )
    STARTED.append(handle)
    return handle


async def _add(handle: CoopHandle, pathway_id: str | None = None) -> None:
    await handle.execute_update(
        CooperativeFoundingWorkflow.add_member,
        MemberAddition(
            member_id=str(uuid.uuid4()),
            kind=PersonKind.NATURAL,
            from_excluded_group=True,
            participant_id=str(uuid.uuid4()) if pathway_id else None,
            pathway_id=pathway_id,
        ),
    )


async def _step(handle: CoopHandle, step: FoundingStep) -> None:
    await handle.execute_update(CooperativeFoundingWorkflow.record_step, StepRecording(type=step))


async def test_members_pathways_learn_of_each_step_and_closed_ones_are_skipped(
    time_skipping: WorkflowEnvironment, task_queue: str, worker: None
) -> None:
    pathways = [await _pathway(time_skipping, task_queue) for _ in range(2)]
    handle = await _cooperative(time_skipping, task_queue)
    for pathway in pathways:
        await _add(handle, pathway.id.removeprefix("pathway-"))
    await _add(handle, str(uuid.uuid4()))  # a pathway that does not exist (closed long ago)
    for step in FoundingStep:
        await _step(handle, step)

    async def told(pathway: WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult]) -> bool:
        state = await pathway.query(
            ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER)
        )
        types = [e.type for e in state.timeline if e.type.startswith("cooperative_")]
        return types == [
            "cooperative_founder_added",
            "cooperative_founding_meeting_held",
            "cooperative_court_filing_made",
            "cooperative_registered",
        ]

    for pathway in pathways:
        await eventually(lambda pathway=pathway: told(pathway))  # type: ignore[misc]
    state = await handle.query(CooperativeFoundingWorkflow.view)
    assert state.stage == "registered"


async def test_a_three_founder_cooperative_is_flagged_when_twelve_months_pass_without_five(
    time_skipping: WorkflowEnvironment, task_queue: str, worker: None
) -> None:
    handle = await _cooperative(time_skipping, task_queue)
    for _ in range(3):
        await _add(handle)
    for step in FoundingStep:
        await _step(handle, step)
    state = await handle.query(CooperativeFoundingWorkflow.view)
    assert [d.kind for d in state.deadlines] == ["members_deadline"]
    await time_skipping.sleep(timedelta(days=300))
    assert (await handle.query(CooperativeFoundingWorkflow.view)).risks == []
    await time_skipping.sleep(timedelta(days=70))
    state = await handle.query(CooperativeFoundingWorkflow.view)
    assert [r.kind for r in state.risks] == ["members_deadline_missed"]
    assert state.stage == "registered"  # flagged for the caseworker, not liquidated
    assert [d.kind for d in state.deadlines] == ["below_minimum_grace"]


async def test_a_founding_meeting_of_two_is_refused_before_it_reaches_history(
    time_skipping: WorkflowEnvironment, task_queue: str, worker: None
) -> None:
    handle = await _cooperative(time_skipping, task_queue)
    await _add(handle)
    await _add(handle)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await _step(handle, FoundingStep.FOUNDING_MEETING_HELD)
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.details[0]["code"] == "too_few_founders"
    assert (await handle.query(CooperativeFoundingWorkflow.view)).steps == []
