"""The API's only road to the cooperative founding workflows: start, change, look.

Temporal errors come back as the domain's errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ServiceUnavailable
from domain.cooperative import (
    CooperativeInput,
    CooperativeView,
    MemberAddition,
    MemberRemoval,
    StepRecording,
    workflow_id_of,
)
from domain.errors import NotFound, rebuild
from workflows.cooperative import CooperativeFoundingWorkflow

T = TypeVar("T")

CALL_TIMEOUT = timedelta(seconds=5)
UPDATE_TIMEOUT = timedelta(seconds=15)

Handle = WorkflowHandle[CooperativeFoundingWorkflow, None]


async def start(client: Client, task_queue: str, start_input: CooperativeInput) -> None:
    """Start the cooperative's workflow; its id carries no personal data."""
    await _temporal(
        client.start_workflow(
            CooperativeFoundingWorkflow.run,
            start_input,
            id=workflow_id_of(start_input.cooperative_id),
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            rpc_timeout=CALL_TIMEOUT,
        )
    )


async def add_member(
    client: Client, cooperative_id: uuid.UUID, addition: MemberAddition
) -> CooperativeView:
    """A founder or member, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await _update(
        handle.execute_update(
            CooperativeFoundingWorkflow.add_member, addition, rpc_timeout=UPDATE_TIMEOUT
        )
    )


async def remove_member(
    client: Client, cooperative_id: uuid.UUID, removal: MemberRemoval
) -> CooperativeView:
    """A member leaves, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await _update(
        handle.execute_update(
            CooperativeFoundingWorkflow.remove_member, removal, rpc_timeout=UPDATE_TIMEOUT
        )
    )


async def record_step(
    client: Client, cooperative_id: uuid.UUID, step: StepRecording
) -> CooperativeView:
    """A founding step, as a validated Update."""
    handle = _handle(client, cooperative_id)
    return await _update(
        handle.execute_update(
            CooperativeFoundingWorkflow.record_step, step, rpc_timeout=UPDATE_TIMEOUT
        )
    )


async def look(client: Client, cooperative_id: uuid.UUID) -> CooperativeView:
    """The live state, by Query."""
    handle = _handle(client, cooperative_id)
    return await _temporal(handle.query(CooperativeFoundingWorkflow.view, rpc_timeout=CALL_TIMEOUT))


def _handle(client: Client, cooperative_id: uuid.UUID) -> Handle:
    return client.get_workflow_handle_for(
        CooperativeFoundingWorkflow.run, workflow_id_of(str(cooperative_id))
    )


async def _update(call: Awaitable[CooperativeView]) -> CooperativeView:
    try:
        return await _temporal(call)
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        raise ServiceUnavailable(
            "step_unconfirmed",
            "The workflow service did not confirm the change in time; look before sending again.",
        ) from None
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type:
            info = cause.details[0] if cause.details else {}
            raise rebuild(
                cause.type, info.get("code", cause.type), cause.message, info.get("details")
            ) from None
        raise


async def _temporal(call: Awaitable[T]) -> T:
    try:
        return await call
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise NotFound("cooperative_not_found", "No such cooperative.") from None
        if err.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
            raise ServiceUnavailable(
                "temporal_unavailable",
                "The workflow service is unreachable; nothing was recorded. Try again shortly.",
            ) from err
        raise
