"""The calls to a pathway's workflow: start, step, set appointments, look, end.

Temporal's failures come back as the domain's errors (services/temporal_calls.py).
"""

from __future__ import annotations

import uuid

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.common import TypedSearchAttributes, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from domain.appointments import Appointment, AppointmentRequest
from domain.benefits import BenefitStatement
from domain.caseload import HolderChange, ReferralDecision
from domain.errors import StepNotAllowed, rebuild
from domain.pathway import (
    BenefitsRequest,
    EligibilityChange,
    PathwayInput,
    PathwayResult,
    StepRequest,
    ViewRequest,
)
from domain.roles import Role
from domain.views import PathwayView, StepReceipt
from domain.workflow_ids import workflow_id
from services.temporal_calls import CALL_TIMEOUT, UPDATE_TIMEOUT, call, update
from workflows.pathway import ParticipantPathwayWorkflow

CLOSED = StepNotAllowed("pathway_closed", "The pathway is closed; no step can be taken.")
NO_APPOINTMENT = StepNotAllowed(
    "pathway_closed", "The pathway is closed; no appointment can be set."
)
STEP_UNCONFIRMED = (
    "The workflow service did not confirm the step in time. "
    "Send it again with the same Idempotency-Key; it is never recorded twice."
)
APPOINTMENT_UNCONFIRMED = (
    "The workflow service did not confirm the appointment in time. "
    "Send it again with the same Idempotency-Key; it is never recorded twice."
)

Handle = WorkflowHandle[ParticipantPathwayWorkflow, PathwayResult]


def _handle(client: Client, pathway_id: uuid.UUID | str) -> Handle:
    return client.get_workflow_handle_for(
        ParticipantPathwayWorkflow.run, workflow_id(str(pathway_id))
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


async def status(client: Client, pathway_id: uuid.UUID) -> WorkflowExecutionStatus | None:
    """Whether the pathway's workflow exists and how it stands (an import resuming asks)."""
    try:
        described = await _handle(client, pathway_id).describe(rpc_timeout=CALL_TIMEOUT)
    except RPCError as err:
        if err.status is RPCStatusCode.NOT_FOUND:
            return None
        raise
    return described.status


async def step(
    client: Client, pathway_id: uuid.UUID, request: StepRequest, update_id: str | None
) -> StepReceipt:
    """Send a step as a validated Update; a refusal comes back as the domain's error."""
    return await update(
        _handle(client, pathway_id).execute_update(
            ParticipantPathwayWorkflow.act, request, id=update_id, rpc_timeout=UPDATE_TIMEOUT
        ),
        CLOSED,
        STEP_UNCONFIRMED,
    )


async def change_appointment(
    client: Client, pathway_id: uuid.UUID, request: AppointmentRequest
) -> Appointment:
    """Set or cancel an appointment; a refusal comes back as the domain's error."""
    receipt = await update(
        _handle(client, pathway_id).execute_update(
            ParticipantPathwayWorkflow.appointment,
            request,
            id=f"appointment-{request.op}-{request.appointment_id}",
            rpc_timeout=UPDATE_TIMEOUT,
        ),
        NO_APPOINTMENT,
        APPOINTMENT_UNCONFIRMED,
    )
    return receipt.appointment


async def look(client: Client, pathway_id: uuid.UUID, role: Role) -> PathwayView:
    """The live state, by Query."""
    return await call(
        _handle(client, pathway_id).query(
            ParticipantPathwayWorkflow.view, ViewRequest(role=role), rpc_timeout=CALL_TIMEOUT
        ),
        CLOSED,
    )


async def benefits(
    client: Client, pathway_id: uuid.UUID, year: int, month: int
) -> BenefitStatement:
    """The month's integration benefit, by Query; a refusal comes back as the domain's error."""
    answer = await call(
        _handle(client, pathway_id).query(
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


async def end(client: Client, pathway_id: uuid.UUID, reason: str) -> None:
    """End a workflow still running (an erasure needs it gone before the key is destroyed)."""
    handle = _handle(client, pathway_id)
    try:
        if (await handle.describe()).status == WorkflowExecutionStatus.RUNNING:
            await handle.terminate(reason=reason)
    except RPCError as err:
        if err.status != RPCStatusCode.NOT_FOUND:  # already removed by namespace retention
            raise


async def tell_eligibility(
    client: Client, pathway_id: uuid.UUID, change: EligibilityChange
) -> None:
    """Tell an open pathway that the person's exclusions changed (a Signal: a fact, not a step)."""
    await call(
        _handle(client, pathway_id).signal(
            ParticipantPathwayWorkflow.eligibility_changed, change, rpc_timeout=CALL_TIMEOUT
        ),
        CLOSED,
    )


async def tell_holder(client: Client, pathway_id: uuid.UUID, change: HolderChange) -> None:
    """Tell an open pathway who holds it now (a Signal; the workflow records each key once)."""
    await call(
        _handle(client, pathway_id).signal(
            ParticipantPathwayWorkflow.holder_changed, change, rpc_timeout=CALL_TIMEOUT
        ),
        CLOSED,
    )


async def tell_referral_decision(
    client: Client, pathway_id: uuid.UUID, decision: ReferralDecision
) -> None:
    """Tell the sending pathway the receiving unit's decision (a Signal, recorded once)."""
    await call(
        _handle(client, pathway_id).signal(
            ParticipantPathwayWorkflow.referral_decided, decision, rpc_timeout=CALL_TIMEOUT
        ),
        CLOSED,
    )
