"""The API's only road to the pathway workflows: start, step, look.

Temporal errors come back as the domain's errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from temporalio.client import (
    Client,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ServiceUnavailable
from core.temporal import workflow_id
from domain.benefits import BenefitStatement
from domain.errors import StepNotAllowed, rebuild
from domain.pathway import (
    BenefitsRequest,
    PathwayInput,
    PathwayView,
    StepRequest,
    ViewRequest,
)
from domain.roles import Role
from workflows.pathway import ParticipantPathwayWorkflow

T = TypeVar("T")

# A reachable server that does not answer within this is given up, and the API answers 503.
# (An unreachable one is given up sooner, after the client's `temporal_retry_seconds`.)
CALL_TIMEOUT = timedelta(seconds=5)
# An Update waits for a worker to run it: long enough for the task to leave a dead worker's
# sticky queue (5 s) and for a restarted worker to pick it up.
UPDATE_TIMEOUT = timedelta(seconds=15)


async def start(client: Client, task_queue: str, start_input: PathwayInput) -> None:
    """Start the pathway's workflow; its id carries no personal data."""
    await _temporal(
        client.start_workflow(
            ParticipantPathwayWorkflow.run,
            start_input,
            id=workflow_id(start_input.pathway_id),
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            rpc_timeout=CALL_TIMEOUT,
        )
    )


async def step(
    client: Client, pathway_id: uuid.UUID, request: StepRequest, update_id: str | None
) -> PathwayView:
    """Send a step as a validated Update; a refusal comes back as the domain's error."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    try:
        await _temporal(
            handle.execute_update(
                ParticipantPathwayWorkflow.act, request, id=update_id, rpc_timeout=UPDATE_TIMEOUT
            )
        )
    except WorkflowUpdateRPCTimeoutOrCancelledError:
        # The step may still be applied: a retry with the same Idempotency-Key (the Update id)
        # gets its answer and records nothing twice.
        raise ServiceUnavailable(
            "step_unconfirmed",
            "The workflow service did not confirm the step in time. "
            "Send it again with the same Idempotency-Key; it is never recorded twice.",
        ) from None
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError) and cause.type:
            info = cause.details[0] if cause.details else {}
            raise rebuild(
                cause.type, info.get("code", cause.type), cause.message, info.get("details")
            ) from None
        raise
    # The Update answers a small receipt (answers stay in the history); the state is a Query.
    try:
        return await look(client, pathway_id, request.role)
    except ServiceUnavailable:
        raise ServiceUnavailable(
            "step_recorded_state_unavailable",
            "The step was recorded, but its new state could not be read now. "
            "Read it again with GET; a retry with the same Idempotency-Key records nothing twice.",
        ) from None


async def look(client: Client, pathway_id: uuid.UUID, role: Role) -> PathwayView:
    """The live state, by Query."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    return await _temporal(
        handle.query(
            ParticipantPathwayWorkflow.view, ViewRequest(role=role), rpc_timeout=CALL_TIMEOUT
        )
    )


async def benefits(
    client: Client, pathway_id: uuid.UUID, year: int, month: int
) -> BenefitStatement:
    """The month's integration benefit, by Query; a refusal comes back as the domain's error."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    answer = await _temporal(
        handle.query(
            ParticipantPathwayWorkflow.benefits,
            BenefitsRequest(year=year, month=month),
            rpc_timeout=CALL_TIMEOUT,
        )
    )
    if answer.refusal is not None:
        raise rebuild(answer.refusal.kind, answer.refusal.code, answer.refusal.message, None)
    assert answer.statement is not None
    return answer.statement


async def _temporal(call: Awaitable[T]) -> T:
    try:
        return await call
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise StepNotAllowed(
                "pathway_closed", "The pathway is closed; no step can be taken."
            ) from None
        if err.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
            raise ServiceUnavailable(
                "temporal_unavailable",
                "The workflow service is unreachable; nothing was recorded. Try again shortly.",
            ) from err
        raise
