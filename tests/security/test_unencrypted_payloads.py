"""Input that did not come through the product's codec is refused: once payloads are encrypted,
a workflow never acts on a plaintext one (a signal typed into the Temporal UI or CLI)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from domain.calendar import local_date
from domain.workflow_ids import workflow_id
from tests.security.conftest import codecless, open_kis_pathway
from tests.support import Staff, eventually

SIGNALED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
TASK_FAILED = EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED


async def test_a_signal_sent_without_the_codec_is_refused_by_the_workflow(
    api: httpx.AsyncClient, staff: Staff, temporal_client: Client
) -> None:
    today = local_date(datetime.now(UTC))
    _, pathway_id = await open_kis_pathway(api, staff.caseworker)
    handle = (await codecless(temporal_client)).get_workflow_handle(workflow_id(pathway_id))
    forged = {"cooperative_id": "forged", "step": "registered", "occurred_on": today.isoformat()}
    await handle.signal("cooperative_news", forged)

    async def refused() -> bool:
        events = (await handle.fetch_history()).events
        signaled = [i for i, e in enumerate(events) if e.event_type == SIGNALED]
        return bool(signaled) and any(e.event_type == TASK_FAILED for e in events[signaled[0] :])

    # The workflow task that would take the signal fails, and keeps failing: the pathway stays as
    # it was until an operator resets it to before the signal.
    await eventually(refused)
    await temporal_client.get_workflow_handle(workflow_id(pathway_id)).terminate("test over")
