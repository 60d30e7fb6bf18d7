"""The API's road to a pathway's sessions: schedule and cancel as a validated Update."""

from __future__ import annotations

import uuid

from temporalio.client import Client

from api.temporal_calls import UPDATE_TIMEOUT, update
from domain.errors import StepNotAllowed
from domain.sessions import PathwaySession, SessionRequest
from domain.workflow_ids import workflow_id
from workflows.pathway import ParticipantPathwayWorkflow

CLOSED = StepNotAllowed("pathway_closed", "The pathway is closed; no session can be set.")
UNCONFIRMED = (
    "The workflow service did not confirm the session in time. "
    "Send it again with the same Idempotency-Key; it is never recorded twice."
)


async def change(client: Client, pathway_id: uuid.UUID, request: SessionRequest) -> PathwaySession:
    """Schedule or cancel a session; a refusal comes back as the domain's error."""
    handle = client.get_workflow_handle(workflow_id(str(pathway_id)))
    receipt = await update(
        handle.execute_update(
            ParticipantPathwayWorkflow.session,
            request,
            id=f"session-{request.op}-{request.session_id}",
            rpc_timeout=UPDATE_TIMEOUT,
        ),
        CLOSED,
        UNCONFIRMED,
    )
    return receipt.session
