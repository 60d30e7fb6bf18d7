"""Timestamps over HTTP on either database: an instant given with an offset is the same instant
when read back, and the erasure's retention check compares aware moments (it once answered 500
on SQLite)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from tests.api.test_reminders_api import participant, pathway
from tests.support import Staff, eventually

WARSAW_SUMMER = timezone(timedelta(hours=2))


async def test_an_appointment_keeps_its_instant_whatever_the_offset(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await participant(api, staff)
    path = await pathway(api, staff, who)
    starts = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0, second=0)
    local = starts.astimezone(WARSAW_SUMMER)
    body = {"starts_at": local.isoformat(), "kind": "individual", "place": "pokój 3"}
    created = await api.post(
        f"/pathways/{path}/appointments",
        json=body,
        headers={**staff.caseworker, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert created.status_code == 201, created.text

    async def listed() -> list[dict[str, Any]]:
        answer = await api.get(f"/pathways/{path}/appointments", headers=staff.supervisor)
        return [a for a in answer.json() if a["id"] == created.json()["id"]]

    (read,) = await eventually(listed)
    assert datetime.fromisoformat(read["starts_at"]) == starts
    assert datetime.fromisoformat(read["starts_at"]).utcoffset() is not None


async def test_erasure_within_the_retention_period_is_a_documented_refusal(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    who = await participant(api, staff)
    answer = await api.post(f"/participants/{who}/erasure", headers=staff.supervisor)
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"]["code"] == "retention_period_running"
