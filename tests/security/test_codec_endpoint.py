"""The codec endpoint opens a pathway's payloads for its unit's staff only, and audits it."""

from __future__ import annotations

import base64

import httpx
from google.protobuf.json_format import MessageToDict
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client

from core.codec import ENCODING
from domain.workflow_ids import workflow_id
from tests.security.journey import payloads_in, walk_to_closed
from tests.support import Staff


async def test_the_ui_codec_opens_payloads_for_the_unit_only(
    api: httpx.AsyncClient, staff: Staff, temporal_client: Client
) -> None:
    journey = await walk_to_closed(api, staff.caseworker)
    handle = temporal_client.get_workflow_handle(workflow_id(journey.pathway_id))
    history = await handle.fetch_history()
    sealed = [
        p for e in history.events for p in payloads_in(e) if p.metadata["encoding"] == ENCODING
    ]
    body = MessageToDict(Payloads(payloads=sealed))

    ours = await api.post("/codec/decode", json=body, headers=staff.caseworker)
    theirs = await api.post("/codec/decode", json=body, headers=staff.stranger)
    assert ours.status_code == theirs.status_code == 200

    def texts(answer: httpx.Response) -> bytes:
        return b"".join(base64.b64decode(p.get("data", "")) for p in answer.json()["payloads"])

    assert journey.secrets[1].encode() in texts(ours)
    assert theirs.json() == body  # another unit's staff get them back still sealed
    assert journey.secrets[1].encode() not in texts(theirs)

    audit = await api.get(
        "/audit",
        params={"participant_id": journey.participant_id, "action": "temporal.decode"},
        headers=staff.supervisor,
    )
    assert [e["actor"] for e in audit.json()["items"]] == [staff.caseworker_name]


async def test_malformed_payloads_are_422(api: httpx.AsyncClient, staff: Staff) -> None:
    answer = await api.post(
        "/codec/decode", json={"payloads": [{"metadata": "not a map"}]}, headers=staff.caseworker
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_payloads"
