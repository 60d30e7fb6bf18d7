"""Denied requests leave a trace in the caller's unit's audit log, and cannot flood it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from core.settings import Settings
from tests.security.conftest import audit_entries
from tests.support import Staff, person, settings_for_tests

LIMIT = 3


@pytest.fixture
def settings(database_url: str, task_queue: str) -> Settings:
    """At most three denial entries per user in the window (ten minutes)."""
    return settings_for_tests(
        database_url=database_url, temporal_task_queue=task_queue, denied_audit_limit=LIMIT
    )


async def _denials(api: httpx.AsyncClient, staff: Staff, actor: str) -> list[Any]:
    return await audit_entries(api, staff.admin, action="access.denied", actor=actor)


async def test_a_request_for_another_units_participant_is_audited(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    created = await api.post("/participants", json=person(), headers=staff.caseworker)
    pid = created.json()["id"]
    stranger = staff.caseworker_name.replace("caseworker", "stranger")
    probed = await api.get(f"/participants/{pid}", headers=staff.stranger)
    assert probed.status_code == 404
    [entry] = await _denials(api, staff, stranger)
    assert entry["participant_id"] == pid
    assert {"status:404", "code:participant_not_found"} <= set(entry["fields"])
    assert "GET /participants/{participant_id}" in entry["fields"]
    # A role refused is a denial too (403).
    refused = await api.get("/audit", headers=staff.caseworker)
    assert refused.status_code == 403
    [role] = await _denials(api, staff, staff.caseworker_name)
    assert "status:403" in role["fields"]


async def test_a_loop_of_denied_requests_cannot_flood_the_log(
    api: httpx.AsyncClient, staff: Staff
) -> None:
    created = await api.post("/participants", json=person(), headers=staff.caseworker)
    pid = created.json()["id"]
    stranger = staff.caseworker_name.replace("caseworker", "stranger")
    for _ in range(LIMIT * 4):
        answer = await api.get(f"/participants/{pid}", headers=staff.stranger)
        assert answer.status_code == 404  # every one is still refused
    assert len(await _denials(api, staff, stranger)) == LIMIT
