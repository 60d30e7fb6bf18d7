"""No personal data reaches Temporal in the clear, nor the logs (issue 6; domain.md §7.2)."""

from __future__ import annotations

from typing import Any

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from core.codec import DATA_PREFIX, ENCODING, KEY_ID
from domain.workflow_ids import workflow_id
from tests.security.conftest import LogLines, leaked
from tests.security.journey import payloads_in, walk_to_closed
from tests.support import Staff
from workflows import search_attributes

SEARCH_ATTRIBUTES_UPSERTED = EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
STARTED = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
# Temporal's own: the build ids a run ran on and the patches it took.
TEMPORAL_SEARCH_ATTRIBUTES = {"BuildIds", "TemporalChangeVersion"}


async def test_a_full_pathway_leaves_no_personal_data_in_history_visibility_or_logs(
    api: httpx.AsyncClient, staff: Staff, temporal_client: Client, log_lines: LogLines
) -> None:
    journey = await walk_to_closed(api, staff.caseworker)

    # A client without the codec, as anyone with access to Temporal would have.
    plain = await Client.connect(
        temporal_client.service_client.config.target_host, namespace=temporal_client.namespace
    )
    handle = plain.get_workflow_handle(workflow_id(journey.pathway_id))
    history = await handle.fetch_history()
    raw = b"".join(event.SerializeToString() for event in history.events)
    assert leaked(journey.secrets, raw) == []

    payloads = [p for event in history.events for p in payloads_in(event)]
    assert len(payloads) > 10
    # Only the SDK's own patch markers and search attributes (the patch ids; the pathway's stage,
    # programme, unit and next deadline, checked below) stay in the clear.
    plain_in = {
        event.event_type
        for event in history.events
        for p in payloads_in(event)
        if p.metadata["encoding"] != ENCODING
    }
    assert plain_in <= {EventType.EVENT_TYPE_MARKER_RECORDED, SEARCH_ATTRIBUTES_UPSERTED, STARTED}
    started = history.events[0].workflow_execution_started_event_attributes
    in_clear = [p for p in payloads_in(history.events[0]) if p.metadata["encoding"] != ENCODING]
    assert len(in_clear) == len(started.search_attributes.indexed_fields)
    sealed = [p for p in payloads if p.metadata["encoding"] == ENCODING]
    key_ids = {p.metadata[KEY_ID].decode() for p in sealed}
    assert len(key_ids) == 1 and key_ids.pop().startswith(DATA_PREFIX)  # the participant's key

    # The same history through the product's codec holds the notes: the scan above could see them.
    codec = temporal_client.data_converter.payload_codec
    assert codec is not None
    opened = b"".join(p.SerializeToString() for p in await codec.decode(sealed))
    assert leaked(journey.secrets, opened) == list(journey.secrets)

    # Visibility: workflow id, type, task queue, search attributes, memo.
    listed = [w async for w in plain.list_workflows(f'WorkflowId = "{handle.id}"')]
    assert len(listed) == 1
    described = await handle.describe()
    visible = listed[0].raw_info.SerializeToString() + described.raw_description.SerializeToString()
    assert leaked(journey.secrets, visible) == []
    assert listed[0].id == f"pathway-{journey.pathway_id}"
    # Search attributes: only the pathway's own (stage, programme, unit, next deadline) and
    # Temporal's; every value is a code or a date, never the person (issue 5).
    searchable = {pair.key.name: pair.value for pair in described.typed_search_attributes}
    ours = {name: value for name, value in searchable.items() if name.startswith("Pathway")}
    assert set(ours) <= {key.name for key in search_attributes.ALL}
    assert set(searchable) - set(ours) <= TEMPORAL_SEARCH_ATTRIBUTES
    assert ours["PathwayStage"] == "closed" and ours["PathwayProgramme"] == "kis"
    assert ours["PathwayUnit"] == staff.unit_code
    assert "PathwayNextDeadline" not in ours  # nothing is due on a closed pathway

    # Logs: every line the API, the worker and Temporal's SDK wrote during the pathway.
    text = "\n".join(log_lines.lines)
    assert "pathway_projected" in text  # the capture did see the product's log lines
    assert leaked(journey.secrets, text.encode()) == []


def test_payloads_in_finds_nested_payloads() -> None:
    from temporalio.api.history.v1 import HistoryEvent

    event = HistoryEvent()
    event.workflow_execution_started_event_attributes.input.payloads.add(data=b"x")
    event.workflow_execution_started_event_attributes.memo.fields["m"].data = b"y"
    found: list[Any] = list(payloads_in(event))
    assert sorted(p.data for p in found) == [b"x", b"y"]
