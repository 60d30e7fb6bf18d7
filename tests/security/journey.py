"""A whole pathway whose free text carries personal data, as notes may; and its payloads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from google.protobuf.message import Message
from temporalio.api.common.v1 import Payload

from domain.calendar import local_date
from tests.support import eventually, person


@dataclass(frozen=True)
class Journey:
    """A participant taken through a closed KIS pathway, and what must never leak."""

    participant_id: str
    pathway_id: str
    secrets: tuple[str, ...]


def sensitive_person() -> dict[str, Any]:
    """A registration body with every kind of personal and special-category datum."""
    return person(
        first_name="Zdzislawa",
        last_name=f"Brzeczyszczykiewicz{person()['last_name'][-6:]}",
        phone="+48601987654",
        email="zdzislawa.b@example.org",
        consent_email=True,
        categories=["addicted_alcohol", "released_from_prison"],
    )


async def walk_to_closed(api: httpx.AsyncClient, headers: dict[str, str]) -> Journey:
    """Register, open KIS, write notes full of personal data, withdraw, record the outcome."""
    body = sensitive_person()
    secrets = (
        body["first_name"],
        body["last_name"],
        body["pesel"],
        body["phone"],
        body["email"],
        *body["categories"],
    )
    today = local_date(datetime.now(UTC))
    created = await api.post("/participants", json=body, headers=headers)
    assert created.status_code == 201, created.text
    participant_id = created.json()["id"]
    opened = await api.post(
        f"/participants/{participant_id}/pathways",
        json={"programme": "kis", "start_date": (today - timedelta(days=10)).isoformat()},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    pathway_id = opened.json()["id"]
    everything = " ".join(secrets)
    # A caseworker may well type a person's name into an appointment's place.
    meeting = {
        "starts_at": (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat(),
        "kind": "individual",
        "place": f"u {body['last_name']}",
    }
    planned = await api.post(f"/pathways/{pathway_id}/appointments", json=meeting, headers=headers)
    assert planned.status_code == 201, planned.text
    for step in (
        {"type": "record_diagnosis", "summary": everything},
        {"type": "withdraw", "reason": everything, "note": everything},
        {"type": "record_outcome", "employed": True, "contract_months": 6, "fte": "1.0"},
    ):
        answer = await api.post(f"/pathways/{pathway_id}/actions", json=step, headers=headers)
        assert answer.status_code == 200, answer.text

    async def closed() -> bool:
        seen = await api.get(f"/participants/{participant_id}", headers=headers)
        return bool(seen.json()["pathway"]["closed"])

    await eventually(closed)
    return Journey(participant_id, pathway_id, secrets)


def payloads_in(message: Message) -> Iterator[Payload]:
    """Every payload anywhere inside a protobuf message (a history event, a failure...)."""
    if isinstance(message, Payload):
        yield message
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = [v for v in value.values() if isinstance(v, Message)]
        elif isinstance(value, Message):
            items = [value]
        else:
            items = list(value)
        for item in items:
            yield from payloads_in(item)
