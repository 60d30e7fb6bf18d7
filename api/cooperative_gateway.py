"""The API's only road to the cooperative founding workflows: start, change, look.

Temporal errors come back as the domain's errors.
"""

from __future__ import annotations

import uuid

from temporalio.client import (
    Client,
    WorkflowHandle,
)
from temporalio.common import WorkflowIDReusePolicy

from api.temporal_calls import CALL_TIMEOUT, UPDATE_TIMEOUT, call, update
from domain.cooperative import (
    CooperativeInput,
    CooperativeView,
    MemberAddition,
    MemberEmployment,
    MemberRemoval,
    StepRecording,
    workflow_id_of,
)
from domain.errors import NotFound
from workflows.cooperative import CooperativeFoundingWorkflow

MISSING = NotFound("cooperative_not_found", "No such cooperative.")
UNCONFIRMED = "The workflow service did not confirm the change in time; look before sending again."

Handle = WorkflowHandle[CooperativeFoundingWorkflow, None]


async def start(client: Client, task_queue: str, start_input: CooperativeInput) -> None:
    """Start the cooperative's workflow; its id carries no personal data."""
    await call(
        client.start_workflow(
            CooperativeFoundingWorkflow.run,
            start_input,
            id=workflow_id_of(start_input.cooperative_id),
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            rpc_timeout=CALL_TIMEOUT,
        ),
        MISSING,
    )


async def add_member(
    client: Client, cooperative_id: uuid.UUID, addition: MemberAddition
) -> CooperativeView:
    """A founder or member, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await update(
        handle.execute_update(
            CooperativeFoundingWorkflow.add_member, addition, rpc_timeout=UPDATE_TIMEOUT
        ),
        MISSING,
        UNCONFIRMED,
    )


async def remove_member(
    client: Client, cooperative_id: uuid.UUID, removal: MemberRemoval
) -> CooperativeView:
    """A member leaves, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await update(
        handle.execute_update(
            CooperativeFoundingWorkflow.remove_member, removal, rpc_timeout=UPDATE_TIMEOUT
        ),
        MISSING,
        UNCONFIRMED,
    )


async def employ_member(
    client: Client, cooperative_id: uuid.UUID, employment: MemberEmployment
) -> CooperativeView:
    """A member employed by the cooperative, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await update(
        handle.execute_update(
            CooperativeFoundingWorkflow.employ_member, employment, rpc_timeout=UPDATE_TIMEOUT
        ),
        MISSING,
        UNCONFIRMED,
    )


async def record_step(
    client: Client, cooperative_id: uuid.UUID, step: StepRecording
) -> CooperativeView:
    """A founding step, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await update(
        handle.execute_update(
            CooperativeFoundingWorkflow.record_step, step, rpc_timeout=UPDATE_TIMEOUT
        ),
        MISSING,
        UNCONFIRMED,
    )


async def look(client: Client, cooperative_id: uuid.UUID) -> CooperativeView:
    """The live state, by Query."""
    handle = _handle(client, cooperative_id)
    return await call(
        handle.query(CooperativeFoundingWorkflow.view, rpc_timeout=CALL_TIMEOUT), MISSING
    )


def _handle(client: Client, cooperative_id: uuid.UUID) -> Handle:
    return client.get_workflow_handle_for(
        CooperativeFoundingWorkflow.run, workflow_id_of(str(cooperative_id))
    )
