"""The API's only road to the pathway workflows: start, step, look.

Temporal errors come back as the domain's errors.
"""

from __future__ import annotations

import uuid

from temporalio.client import (
    Client,
)
from temporalio.common import TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from api.errors import ServiceUnavailable
from api.temporal_calls import CALL_TIMEOUT, UPDATE_TIMEOUT, call, update
from core.temporal import workflow_id
from domain.benefits import BenefitStatement
from domain.errors import StepNotAllowed, rebuild
from domain.pathway import (
    BenefitsRequest,
    EligibilityChange,
    PathwayInput,
    PathwayView,
    StepRequest,
    ViewRequest,
)
from domain.roles import Role
from workflows.pathway import ParticipantPathwayWorkflow

CLOSED = StepNotAllowed("pathway_closed", "The pathway is closed; no step can be taken.")
UNCONFIRMED = (
    "The workflow service did not confirm the step in time. "
    "Send it again with the same Idempotency-Key; it is never recorded twice."
)


async def start(
    client: Client,
    task_queue: str,
    start_input: PathwayInput,
    search: TypedSearchAttributes = TypedSearchAttributes.empty,
) -> None:
    """Start the pathway's workflow; its id and search attributes carry no personal data."""
    await call(
        client.start_workflow(
            ParticipantPathwayWorkflow.run,
            start_input,
            id=workflow_id(start_input.pathway_id),
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=search,
            rpc_timeout=CALL_TIMEOUT,
        ),
        CLOSED,
    )


async def started(client: Client, pathway_id: uuid.UUID) -> bool:
    """Whether the pathway's workflow exists (an import resuming after a crash asks)."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    try:
        await handle.describe(rpc_timeout=CALL_TIMEOUT)
    except RPCError as err:
        if err.status is RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


async def step(
    client: Client, pathway_id: uuid.UUID, request: StepRequest, update_id: str | None
) -> PathwayView:
    """Send a step as a validated Update; a refusal comes back as the domain's error."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    await update(
        handle.execute_update(
            ParticipantPathwayWorkflow.act, request, id=update_id, rpc_timeout=UPDATE_TIMEOUT
        ),
        CLOSED,
        UNCONFIRMED,
    )
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
    return await call(
        handle.query(
            ParticipantPathwayWorkflow.view, ViewRequest(role=role), rpc_timeout=CALL_TIMEOUT
        ),
        CLOSED,
    )


async def benefits(
    client: Client, pathway_id: uuid.UUID, year: int, month: int
) -> BenefitStatement:
    """The month's integration benefit, by Query; a refusal comes back as the domain's error."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    answer = await call(
        handle.query(
            ParticipantPathwayWorkflow.benefits,
            BenefitsRequest(year=year, month=month),
            rpc_timeout=CALL_TIMEOUT,
        ),
        CLOSED,
    )
    if answer.refusal is not None:
        raise rebuild(answer.refusal.kind, answer.refusal.code, answer.refusal.message, None)
    assert answer.statement is not None
    return answer.statement


async def tell_eligibility(
    client: Client, pathway_id: uuid.UUID, change: EligibilityChange
) -> None:
    """Tell an open pathway that the person's exclusions changed (a Signal: a fact, not a step)."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    await call(
        handle.signal(
            ParticipantPathwayWorkflow.eligibility_changed, change, rpc_timeout=CALL_TIMEOUT
        ),
        CLOSED,
    )
