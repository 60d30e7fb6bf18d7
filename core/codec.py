"""The payload codec: Temporal stores only AES-GCM ciphertext, under a participant's key.

Each encrypted payload names its key in the metadata (`encryption-key-id`): `data:<uuid>` for
a participant's data key (destroyed on erasure, which makes that history unreadable), or
`master:<id>` for payloads outside any known pathway. A payload without the codec's encoding is
refused: it was not sent by the product (a signal typed into the Temporal UI or CLI, say), and a
workflow must never act on it. Histories recorded before encryption need `accept_plaintext`
(the setting `payload_accept_plaintext`) for as long as they run.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec, SerializationContext, WithSerializationContext

from core.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
MASTER_PREFIX = "master:"
DATA_PREFIX = "data:"
_NONCE_BYTES = 12


class KeyUnavailable(Exception):
    """The key a payload needs is unknown or was destroyed (crypto-shredded)."""


class PlaintextRefused(Exception):
    """A payload arrived unencrypted while encryption is on."""


def seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """AES-GCM ciphertext with its random nonce in front."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def unseal(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    """The plaintext of `seal`'s output; a wrong key or tampering raises `KeyUnavailable`."""
    try:
        return AESGCM(key).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], associated)
    except InvalidTag as err:
        raise KeyUnavailable("the payload does not open with its key") from err


def new_data_key() -> bytes:
    """A fresh random AES-256 key."""
    return AESGCM.generate_key(bit_length=256)


@dataclass(frozen=True)
class MasterKeys:
    """The master keys from settings: the active one seals, every one opens (rotation)."""

    active_id: str
    keys: Mapping[str, bytes]

    @classmethod
    def from_settings(cls, settings: Settings) -> MasterKeys:
        """From the settings' base64 strings."""
        keys = {k: base64.b64decode(v) for k, v in settings.payload_keys.items()}
        return cls(settings.payload_key_id, keys)

    @property
    def active(self) -> bytes:
        """The key that seals."""
        return self.keys[self.active_id]

    def get(self, key_id: str) -> bytes:
        """A master key by id, or `KeyUnavailable`."""
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyUnavailable(f"no master key {key_id!r}") from None


class DataKeyStore(Protocol):
    """Where participants' data keys live (the database)."""

    async def key_for_workflow(self, workflow_id: str) -> tuple[str, bytes] | None:
        """The (key id, key) for a workflow's payloads; None when it belongs to no participant."""
        ...

    async def key_by_id(self, key_id: str) -> bytes:
        """A data key by id, or `KeyUnavailable` when it is unknown or destroyed."""
        ...

    def remember(self, workflow_id: str, key_id: str, key: bytes) -> None:
        """Note the key a workflow's payloads were sealed with, so encoding needs no lookup."""
        ...


class EncryptionCodec(PayloadCodec, WithSerializationContext):
    """Encrypts every payload; the workflow id of the serialization context chooses the key."""

    def __init__(
        self,
        master: MasterKeys,
        store: DataKeyStore | None,
        workflow_id: str | None = None,
        *,
        accept_plaintext: bool = False,
    ) -> None:
        self._master = master
        self._store = store
        self._workflow_id = workflow_id
        self._accept_plaintext = accept_plaintext

    def with_context(self, context: SerializationContext) -> Self:
        """A codec for the payloads of one workflow (or its activities)."""
        workflow_id = getattr(context, "workflow_id", None)
        if workflow_id == self._workflow_id:
            return self
        return type(self)(
            self._master, self._store, workflow_id, accept_plaintext=self._accept_plaintext
        )

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Seal each payload, naming the key in its metadata."""
        key_id, key = await self._sealing_key()
        return [
            Payload(
                metadata={"encoding": ENCODING, KEY_ID: key_id.encode()},
                data=seal(key, p.SerializeToString(), key_id.encode()),
            )
            for p in payloads
        ]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        """Open sealed payloads; an unencrypted one is refused (`PlaintextRefused`) unless
        plaintext is accepted (histories recorded before encryption)."""
        return [await self._decoded(p) for p in payloads]

    async def _decoded(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING and not self._accept_plaintext:
            raise PlaintextRefused(
                "An unencrypted payload was refused: only the product's own clients may send "
                "input to its workflows."
            )
        return await self.open(payload)

    async def open(self, payload: Payload) -> Payload:
        """One payload in the clear (an unencrypted one as it is); `KeyUnavailable` when its
        key is gone."""
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"").decode()
        key = await self.key(key_id)
        inner = Payload()
        inner.ParseFromString(unseal(key, payload.data, key_id.encode()))
        if self._store is not None and self._workflow_id and key_id.startswith(DATA_PREFIX):
            # It opened, so this workflow's payloads are sealed with this participant's key.
            self._store.remember(self._workflow_id, key_id, key)
        return inner

    async def key(self, key_id: str) -> bytes:
        """The key with this id, master or data."""
        if key_id.startswith(MASTER_PREFIX):
            return self._master.get(key_id.removeprefix(MASTER_PREFIX))
        if key_id.startswith(DATA_PREFIX) and self._store is not None:
            return await self._store.key_by_id(key_id)
        raise KeyUnavailable(f"unknown key id {key_id!r}")

    async def _sealing_key(self) -> tuple[str, bytes]:
        if self._store is not None and self._workflow_id is not None:
            found = await self._store.key_for_workflow(self._workflow_id)
            if found is not None:
                return found
        return MASTER_PREFIX + self._master.active_id, self._master.active
