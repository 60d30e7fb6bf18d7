"""Histories stay bounded: the pathway continues as new on Temporal's suggestion, losing nothing."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio import activity
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.read_model import ProjectionResult
from core.temporal import data_converter
from domain.actions import ACTION_ADAPTER
from domain.calendar import local_date
from domain.pathway import PathwayInput, PathwaySnapshot, StepRequest, ViewRequest
from domain.roles import Role
from domain.stages import Programme
from tests.support import eventually, settings_for_tests
from workflows import search_attributes
from workflows.pathway import ParticipantPathwayWorkflow
from workflows.search_attributes import UNIT

# Temporal suggests continue-as-new after this many history events (production default: 4 Ki).
SUGGEST_AFTER_EVENTS = 40


@pytest.fixture(scope="module")
async def eager_server() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server that suggests continue-as-new early, so a short test crosses several runs."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        data_converter=data_converter(settings_for_tests(), None),
        dev_server_log_level="error",
        search_attributes=search_attributes.ALL,
        dev_server_extra_args=[
            "--dynamic-config-value",
            f"limit.historyCount.suggestContinueAsNew={SUGGEST_AFTER_EVENTS}",
        ],
    )
    yield env
    await env.shutdown()


class CountingReadModel:
    """Counts how often each event reaches the read model."""

    def __init__(self) -> None:
        self.seqs: list[int] = []

    @activity.defn(name="project_pathway")
    async def project_pathway(self, snap: PathwaySnapshot) -> ProjectionResult:
        self.seqs += [e.seq for e in snap.events]
        return ProjectionResult(last_seq=snap.last_seq, events_written=len(snap.events))


async def test_steps_across_continue_as_new_are_all_kept_and_projected_once(
    eager_server: WorkflowEnvironment, task_queue: str
) -> None:
    read_model = CountingReadModel()
    client = eager_server.client
    async with Worker(
        client,
        task_queue=task_queue,
        workflows=[ParticipantPathwayWorkflow],
        activities=[read_model.project_pathway],
    ):
        pathway_id = str(uuid.uuid4())
        today = local_date(await eager_server.get_current_time())
        handle = await client.start_workflow(
            ParticipantPathwayWorkflow.run,
            PathwayInput(
                pathway_id=pathway_id,
                participant_id=str(uuid.uuid4()),
                programme=Programme.KIS,
                started_on=today,
            ),
            id=f"pathway-{pathway_id}",
            task_queue=task_queue,
            search_attributes=TypedSearchAttributes([SearchAttributePair(UNIT, "KIS-CAN")]),
        )
        first_run = handle.result_run_id

        async def step(type_: str, key: str, **fields: object) -> None:
            action = ACTION_ADAPTER.validate_python({"type": type_, **fields})
            request = StepRequest(action=action, actor="anna", role=Role.CASEWORKER, request_id=key)
            await client.get_workflow_handle(handle.id).execute_update(
                ParticipantPathwayWorkflow.act, request, id=key
            )

        await step("record_diagnosis", "d")
        await step("sign_social_contract", "s")
        for batch in range(8):  # ten at a time, so some arrive while a run is handing over
            await asyncio.gather(
                *(step("record_attendance", f"a-{batch}-{i}", hours="1") for i in range(10))
            )
        latest = client.get_workflow_handle(handle.id)
        state = await latest.query(
            ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER)
        )

        async def all_projected() -> bool:
            return len(read_model.seqs) >= len(state.timeline)

        await eventually(all_projected)
        description = await latest.describe()

    assert description.run_id != first_run, "the workflow never continued as new"
    # Visibility follows the pathway across runs (the search attributes, issue 5).
    assert description.typed_search_attributes.get(search_attributes.STAGE) == "kis_active"
    assert description.typed_search_attributes.get(UNIT) == "KIS-CAN"  # set once, carried over
    assert state.totals.attendance_days == 80
    types = [e.type for e in state.timeline]
    assert types.count("record_attendance") == 80
    assert [e.seq for e in state.timeline] == list(range(1, len(state.timeline) + 1))
    assert sorted(read_model.seqs) == [e.seq for e in state.timeline]  # each exactly once
