"""The same step sent at once from two clients, through two API replicas: recorded once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from core.settings import Settings
from tests.resilience.casework import active_kis_pathway, assert_recorded_once, attendance
from tests.support import Staff, api_process

CLIENTS = 2


@pytest.fixture
async def replica(settings: Settings, worker: None) -> AsyncIterator[httpx.AsyncClient]:
    """A second API replica (its own caches and Temporal client), and the product's worker."""
    async with api_process(settings, None) as client:
        yield client


async def test_the_same_step_with_one_key_from_two_clients_is_recorded_once(
    api: httpx.AsyncClient,
    replica: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
) -> None:
    pathway_id = await active_kis_pathway(api, staff)
    headers = {**staff.caseworker, "Idempotency-Key": str(uuid.uuid4())}
    answers = await asyncio.gather(
        *(
            client.post(f"/pathways/{pathway_id}/actions", json=attendance("5"), headers=headers)
            for client in [api, replica] * CLIENTS
        )
    )
    assert [a.status_code for a in answers] == [200] * len(answers), [a.text for a in answers]
    assert len({len(a.json()["timeline"]) for a in answers}) == 1  # every client saw one answer
    await assert_recorded_once(api, staff, sessions, temporal, pathway_id, ["5"])


async def test_one_stage_step_from_two_caseworkers_at_once_is_taken_once(
    api: httpx.AsyncClient,
    replica: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
) -> None:
    pathway_id = await active_kis_pathway(api, staff)
    step = {"type": "mark_contract_fulfilled"}
    answers = await asyncio.gather(
        api.post(f"/pathways/{pathway_id}/actions", json=step, headers=staff.caseworker),
        replica.post(f"/pathways/{pathway_id}/actions", json=step, headers=staff.supervisor),
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    state = (await api.get(f"/pathways/{pathway_id}", headers=staff.caseworker)).json()
    assert [e["type"] for e in state["timeline"]].count("mark_contract_fulfilled") == 1
    await assert_recorded_once(api, staff, sessions, temporal, pathway_id, [])
