"""The payload codec: sealed under the right key, opened by any listed key, shredded for good."""

from __future__ import annotations

import os

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.converter import ActivitySerializationContext, WorkflowSerializationContext

from core.codec import (
    DATA_PREFIX,
    ENCODING,
    KEY_ID,
    MASTER_PREFIX,
    EncryptionCodec,
    KeyUnavailable,
    MasterKeys,
    PlaintextRefused,
)

OLD, NEW = os.urandom(32), os.urandom(32)
PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"note": "Jan Kowalski"}')


class FakeStore:
    """One participant's key, for the workflow `pathway-1`; it can be destroyed."""

    def __init__(self) -> None:
        self.key: bytes | None = os.urandom(32)

    async def key_for_workflow(self, workflow_id: str) -> tuple[str, bytes] | None:
        if workflow_id != "pathway-1":
            return None
        if self.key is None:
            raise KeyUnavailable("destroyed")
        return DATA_PREFIX + "k1", self.key

    async def key_by_id(self, key_id: str) -> bytes:
        if key_id != DATA_PREFIX + "k1" or self.key is None:
            raise KeyUnavailable(key_id)
        return self.key

    def remember(self, workflow_id: str, key_id: str, key: bytes) -> None:
        self.remembered = (workflow_id, key_id)


def codec(store: FakeStore | None = None, active: str = "new") -> EncryptionCodec:
    return EncryptionCodec(MasterKeys(active, {"old": OLD, "new": NEW}), store)


async def test_payloads_are_sealed_and_open_again() -> None:
    [sealed] = await codec().encode([PLAIN])
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID] == (MASTER_PREFIX + "new").encode()
    assert b"Kowalski" not in sealed.SerializeToString()
    assert await codec().decode([sealed]) == [PLAIN]


async def test_a_workflow_context_seals_with_the_participant_key() -> None:
    store = FakeStore()
    for context in (
        WorkflowSerializationContext(namespace="default", workflow_id="pathway-1"),
        ActivitySerializationContext(
            namespace="default",
            activity_id="1",
            activity_type="project_pathway",
            activity_task_queue="q",
            workflow_id="pathway-1",
            workflow_type="ParticipantPathwayWorkflow",
            is_local=False,
        ),
    ):
        [sealed] = await codec(store).with_context(context).encode([PLAIN])
        assert sealed.metadata[KEY_ID] == (DATA_PREFIX + "k1").encode()
        assert await codec(store).decode([sealed]) == [PLAIN]  # no context needed to open


async def test_unencrypted_payloads_are_refused_unless_plaintext_is_accepted() -> None:
    with pytest.raises(PlaintextRefused):
        await codec().decode([PLAIN])
    bound = codec().with_context(WorkflowSerializationContext(namespace="n", workflow_id="x"))
    with pytest.raises(PlaintextRefused):
        await bound.decode([PLAIN])
    accepting = EncryptionCodec(MasterKeys("new", {"new": NEW}), None, accept_plaintext=True)
    assert await accepting.decode([PLAIN]) == [PLAIN]
    context = WorkflowSerializationContext(namespace="n", workflow_id="x")
    assert await accepting.with_context(context).decode([PLAIN]) == [PLAIN]


async def test_an_old_master_key_still_opens_after_rotation() -> None:
    [sealed] = await codec(active="old").encode([PLAIN])
    assert await codec(active="new").decode([sealed]) == [PLAIN]
    retired = EncryptionCodec(MasterKeys("new", {"new": NEW}), None)
    with pytest.raises(KeyUnavailable):
        await retired.decode([sealed])


async def test_tampered_payloads_do_not_open() -> None:
    [sealed] = await codec().encode([PLAIN])
    sealed.data = sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])
    with pytest.raises(KeyUnavailable):
        await codec().decode([sealed])
    [other] = await codec().encode([PLAIN])
    other.metadata[KEY_ID] = (MASTER_PREFIX + "old").encode()  # the key id is authenticated too
    with pytest.raises(KeyUnavailable):
        await codec().decode([other])


async def test_a_destroyed_participant_key_shreds_and_never_falls_back() -> None:
    store = FakeStore()
    bound = codec(store).with_context(WorkflowSerializationContext("default", "pathway-1"))
    [sealed] = await bound.encode([PLAIN])
    store.key = None
    with pytest.raises(KeyUnavailable):
        await codec(store).decode([sealed])
    with pytest.raises(KeyUnavailable):
        await bound.encode([PLAIN])


async def test_opening_a_workflows_payload_teaches_the_store_its_key() -> None:
    store = FakeStore()
    sealing = codec(store).with_context(
        WorkflowSerializationContext(namespace="default", workflow_id="pathway-1")
    )
    [sealed] = await sealing.encode([PLAIN])
    await sealing.decode([sealed])
    assert store.remembered == ("pathway-1", DATA_PREFIX + "k1")
