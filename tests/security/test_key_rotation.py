"""Master-key rotation: rotate, rewrap (resumably), retire the old key; every pathway opens."""

from __future__ import annotations

import base64

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.codec import DATA_PREFIX, ENCODING, KEY_ID, EncryptionCodec, KeyUnavailable, MasterKeys
from core.settings import Settings
from db import keys as key_rows
from db.keys import DatabaseKeyStore
from domain.workflow_ids import workflow_id
from services import keys
from services.context import open_services
from tests.security.journey import payloads_in
from tests.support import PAYLOAD_KEYS, Staff, api_process, login, person


async def _sealed_payloads(client: Client, pathway_id: str) -> list[Payload]:
    history = await client.get_workflow_handle(workflow_id(pathway_id)).fetch_history()
    sealed = [
        p
        for event in history.events
        for p in payloads_in(event)
        if p.metadata["encoding"] == ENCODING
        and p.metadata[KEY_ID].startswith(DATA_PREFIX.encode())
    ]
    assert sealed
    return sealed


async def test_rotate_rewrap_and_retire_the_old_master_key(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    dev_server: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before the rotation: "test-old" is the active master key of a replica of the API.
    before = settings.model_copy(update={"payload_key_id": "test-old"})
    pathway_ids: list[str] = []
    async with api_process(before, dev_server.client) as old:
        headers = await login(old, staff.caseworker_name)
        for _ in range(3):
            registered = await old.post("/participants", json=person(), headers=headers)
            opened = await old.post(
                f"/participants/{registered.json()['id']}/pathways",
                json={"programme": "kis", "start_date": "2026-01-05"},
                headers=headers,
            )
            assert opened.status_code == 201, opened.text
            pathway_ids.append(opened.json()["id"])

    # The old master key retired too early: the new one alone opens none of these histories.
    only_new = MasterKeys("test", {"test": base64.b64decode(PAYLOAD_KEYS["test"])})
    retired = EncryptionCodec(only_new, DatabaseKeyStore(sessions, only_new, 0))
    for pathway_id in pathway_ids:
        with pytest.raises(KeyUnavailable):
            await retired.decode(await _sealed_payloads(dev_server.client, pathway_id))

    async with open_services(settings, connect=False) as services:  # "test" is active now
        assert (await keys.status(services)).by_master_key["test-old"] >= 3

        # A rewrap killed after its first key: what it did stays done, and a new run goes on.
        real_reseal = key_rows.reseal
        calls = 0

        async def dies_on_the_second(*args: object) -> bool:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise RuntimeError("killed")
            return await real_reseal(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(key_rows, "reseal", dies_on_the_second)
        with pytest.raises(RuntimeError, match="killed"):
            await keys.rewrap(services, batch=1)
        monkeypatch.setattr(key_rows, "reseal", real_reseal)
        left = (await keys.status(services)).by_master_key["test-old"]

        finished = await keys.rewrap(services, batch=2)
        assert finished.rewrapped == left and finished.unopenable == []
        assert (await keys.rewrap(services)).rewrapped == 0  # nothing left to do
        assert (await keys.status(services)).by_master_key.get("test-old", 0) == 0

    # The old master key removed: every pathway's history opens with the new one alone.
    for pathway_id in pathway_ids:
        opened_payloads = await retired.decode(
            await _sealed_payloads(dev_server.client, pathway_id)
        )
        assert len(opened_payloads) > 0


async def test_a_key_whose_master_key_is_missing_is_reported_not_lost(
    settings: Settings, staff: Staff, api: httpx.AsyncClient
) -> None:
    await api.post("/participants", json=person(), headers=staff.caseworker)
    # Rotated to a new master key, but the old one ("test") already dropped from the settings.
    fresh = base64.b64encode(bytes(range(32))).decode()
    rotated = settings.model_copy(
        update={"payload_keys": {"fresh": fresh}, "payload_key_id": "fresh"}
    )
    async with open_services(rotated, connect=False) as services:
        report = await keys.rewrap(services)
        assert report.rewrapped == 0 and report.unopenable  # nothing opened, nothing changed
        assert (await keys.status(services)).by_master_key.get("fresh", 0) == 0
