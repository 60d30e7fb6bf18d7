"""The pathway workflow on the time-skipping server: months pass in seconds."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.read_model import ProjectionResult
from domain.actions import ACTION_ADAPTER
from domain.calendar import local_date
from domain.pathway import (
    CooperativeNews,
    PathwayInput,
    PathwayResult,
    PathwaySnapshot,
    StepRequest,
    ViewRequest,
)
from domain.roles import Role
from domain.stages import Programme
from domain.views import PathwayView
from workflows.patches import NEW_PATHWAYS
from workflows.pathway import ParticipantPathwayWorkflow


class FakeReadModel:
    """Records projections in memory, under the real activity's name."""

    def __init__(self) -> None:
        self.events: list[int] = []

    @activity.defn(name="project_pathway")
    async def project_pathway(self, snap: PathwaySnapshot) -> ProjectionResult:
        self.events += [e.seq for e in snap.events]
        return ProjectionResult(last_seq=snap.last_seq, events_written=len(snap.events))


@pytest.fixture
async def read_model(
    time_skipping: WorkflowEnvironment, task_queue: str
) -> AsyncIterator[FakeReadModel]:
    fake = FakeReadModel()
    async with Worker(
        time_skipping.client,
        task_queue=task_queue,
        workflows=[ParticipantPathwayWorkflow],
        activities=[fake.project_pathway],
    ):
        yield fake


async def _start(
    env: WorkflowEnvironment, task_queue: str, born_with: tuple[str, ...] = ()
) -> WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult]:
    today = local_date(await env.get_current_time())
    pathway_id = str(uuid.uuid4())
    return await env.client.start_workflow(
        ParticipantPathwayWorkflow.run,
        PathwayInput(
            pathway_id=pathway_id,
            participant_id=str(uuid.uuid4()),
            programme=Programme.KIS,
            started_on=today,
            born_with=list(born_with),
        ),
        id=f"pathway-{pathway_id}",
        task_queue=task_queue,
    )


async def _step(
    handle: WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult],
    type_: str,
    request_id: str | None = None,
    **fields: object,
) -> PathwayView:
    action = ACTION_ADAPTER.validate_python({"type": type_, **fields})
    request = StepRequest(action=action, actor="anna", role=Role.CASEWORKER, request_id=request_id)
    receipt = await handle.execute_update(ParticipantPathwayWorkflow.act, request)
    view = await handle.query(ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER))
    assert view.timeline[receipt.seq - 1].type == type_  # the receipt names the step's event
    return view


async def test_a_six_month_kis_path_graduates_and_closes_after_the_outcome_window(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    handle = await _start(time_skipping, task_queue)
    await _step(handle, "record_diagnosis")
    await _step(handle, "sign_social_contract")
    await time_skipping.sleep(timedelta(days=100))
    early = await handle.query(ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER))
    assert [d.kind for d in early.deadlines] == ["kis_six_months"]
    await time_skipping.sleep(timedelta(days=90))  # past six calendar months
    await _step(handle, "record_attendance", hours="4")
    reached = await handle.query(ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER))
    assert "deadline_reached" in [e.type for e in reached.timeline]
    await _step(handle, "mark_contract_fulfilled")
    done = await _step(handle, "complete_kis")
    assert done.graduate is True
    result = await handle.result()  # the 90-day outcome window passes by itself
    assert result.stage == "closed"
    assert result.outcome == "not_reported"
    final = await handle.query(ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER))
    assert read_model.events == [e.seq for e in final.timeline]  # each projected exactly once


async def test_a_refused_step_fails_the_update_not_the_pathway(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    handle = await _start(time_skipping, task_queue)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await _step(handle, "complete_kis")
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "step_not_allowed"
    view = await _step(handle, "record_diagnosis")
    assert view.stage == "kis_diagnosed"


async def test_a_repeated_request_id_records_once(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    handle = await _start(time_skipping, task_queue)
    first = await _step(handle, "record_diagnosis", request_id="r-1")
    again = await _step(handle, "record_diagnosis", request_id="r-1")
    assert [e.type for e in again.timeline] == [e.type for e in first.timeline]
    assert [e.type for e in first.timeline].count("record_diagnosis") == 1


async def test_a_cooperatives_steps_reach_the_members_timeline(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    handle = await _start(time_skipping, task_queue)
    today = local_date(await time_skipping.get_current_time())
    news = CooperativeNews(cooperative_id="coop-1", step="registered", occurred_on=today)
    await handle.signal(ParticipantPathwayWorkflow.cooperative_news, news)
    view = await _step(handle, "withdraw")  # any later step sees the news before it
    assert [(e.type, e.data) for e in view.timeline[-2:]] == [
        ("cooperative_registered", {"cooperative_id": "coop-1"}),
        ("withdraw", {}),
    ]


async def test_a_step_answers_the_state_with_only_the_events_it_recorded(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    handle = await _start(time_skipping, task_queue)
    await _step(handle, "record_diagnosis")
    before = await _step(handle, "sign_social_contract")
    action = ACTION_ADAPTER.validate_python({"type": "record_attendance", "hours": "4"})
    request = StepRequest(action=action, actor="anna", role=Role.CASEWORKER, request_id="r-9")
    receipt = await handle.execute_update(ParticipantPathwayWorkflow.act, request)
    full = await handle.query(ParticipantPathwayWorkflow.view, ViewRequest(role=Role.CASEWORKER))
    assert receipt.view is not None
    # Everything a caseworker acts on, as the Query answers it, without the earlier history.
    assert receipt.view.model_dump(exclude={"timeline"}) == full.model_dump(
        include=set(receipt.view.model_dump(exclude={"timeline"}))
    )
    recorded = [e.type for e in receipt.view.timeline]
    assert recorded[-1] == "record_attendance"
    assert receipt.view.timeline == full.timeline[-len(recorded) :]
    assert [e.seq for e in receipt.view.timeline] == [len(before.timeline) + 1]
    again = await handle.execute_update(ParticipantPathwayWorkflow.act, request)
    assert again.view is not None  # a retried request answers its step's event, recording none
    assert [e.seq for e in again.view.timeline] == [receipt.seq]


async def test_a_pathway_born_with_the_changes_writes_no_patch_markers(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    markers = EventType.EVENT_TYPE_MARKER_RECORDED
    counted = []
    for born_with in ((), NEW_PATHWAYS):
        handle = await _start(time_skipping, task_queue, born_with)
        view = await _step(handle, "record_diagnosis")
        assert view.stage == "kis_diagnosed"
        history = await handle.fetch_history()
        counted.append(sum(1 for e in history.events if e.event_type == markers))
    asked, born = counted
    assert asked >= 3 and born == 0  # the same pathway, without a marker per change


async def test_steps_that_leave_the_next_wake_up_where_it_was_start_and_cancel_no_timer(
    time_skipping: WorkflowEnvironment, task_queue: str, read_model: FakeReadModel
) -> None:
    handle = await _start(time_skipping, task_queue, NEW_PATHWAYS)
    await _step(handle, "record_diagnosis")
    await _step(handle, "sign_social_contract")
    started = EventType.EVENT_TYPE_TIMER_STARTED
    cancelled = EventType.EVENT_TYPE_TIMER_CANCELED
    before = [e.event_type for e in (await handle.fetch_history()).events]
    for hours in ("4", "3", "5"):  # the six months' deadline stays the next wake-up
        await _step(handle, "record_attendance", hours=hours)
    after = [e.event_type for e in (await handle.fetch_history()).events][len(before) :]
    assert after.count(started) == 0 and after.count(cancelled) == 0
    # The pathway does wait for its deadline with that one timer; it wakes at it in the six
    # months' test above (its run writes this patch's marker, so it takes the same code). No
    # months are skipped here: on the shared test server they would reach other tests' pathways,
    # whose workers are gone, and time would stop.
    assert before.count(started) == 1
