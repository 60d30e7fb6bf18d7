"""The API's road to a pathway's appointments: set and cancel as a validated Update."""

from __future__ import annotations

import uuid

from temporalio.client import Client

from api.temporal_calls import UPDATE_TIMEOUT, update
from domain.appointments import Appointment, AppointmentRequest
from domain.errors import StepNotAllowed
from domain.workflow_ids import workflow_id
from workflows.pathway import ParticipantPathwayWorkflow

CLOSED = StepNotAllowed("pathway_closed", "The pathway is closed; no appointment can be set.")
UNCONFIRMED = (
    "The workflow service did not confirm the appointment in time. "
    "Send it again with the same Idempotency-Key; it is never recorded twice."
)


async def change(
    client: Client, pathway_id: uuid.UUID, request: AppointmentRequest
) -> Appointment:
    """Set or cancel an appointment; a refusal comes back as the domain's error."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    receipt = await update(
        handle.execute_update(
            ParticipantPathwayWorkflow.appointment,
            request,
            id=f"appointment-{request.op}-{request.appointment_id}",
            rpc_timeout=UPDATE_TIMEOUT,
        ),
        CLOSED,
        UNCONFIRMED,
    )
    return receipt.appointment
