"""Master-key rotation: re-seal every participant's data key under the active master key.

After a new master key is made active (PATHWAYS_PAYLOAD_KEY_ID, with the old keys still listed
in PATHWAYS_PAYLOAD_KEYS), `pathways keys rewrap` opens each data key with the master key that
sealed it and seals it again with the active one. The data keys themselves do not change, so
nothing in Temporal is re-encrypted and running processes go on as they were. It works in
batches, each its own transaction: stopped half-way, it goes on where it stopped when run again.
Once `pathways keys status` shows no key under an old master key, that key can be removed.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from core.codec import DATA_PREFIX, KeyUnavailable, MasterKeys, seal, unseal
from db import keys
from db.session import unit_of_work
from services.context import Services


class RewrapReport(BaseModel):
    """What a rewrap did: keys re-sealed, and those it could not open (their master key is not
    in the settings, or the sealed key does not open with it), by key row id (naming nobody)."""

    active_master_key: str
    rewrapped: int = 0
    unopenable: list[uuid.UUID] = []


class KeyStatus(BaseModel):
    """How many live data keys each master key seals; the active one's name."""

    active_master_key: str
    by_master_key: dict[str, int]


async def rewrap(services: Services, batch: int = 500) -> RewrapReport:
    """Re-seal under the active master key every live data key sealed by another."""
    master = MasterKeys.from_settings(services.settings)
    report = RewrapReport(active_master_key=master.active_id)
    after: uuid.UUID | None = None
    while True:
        async with unit_of_work(services.sessions) as session:
            rows = await keys.keys_to_rewrap(session, master.active_id, after, batch)
            for row in rows:
                resealed = _resealed(master, row.id, row.master_key_id, row.sealed_key)
                if resealed is None:
                    report.unopenable.append(row.id)
                elif await keys.reseal(session, row, master.active_id, resealed):
                    report.rewrapped += 1
        if len(rows) < batch:
            return report
        after = rows[-1].id


async def status(services: Services) -> KeyStatus:
    """Which master keys still seal participants' keys."""
    async with services.sessions() as session:
        counts = await keys.keys_by_master(session)
    return KeyStatus(active_master_key=services.settings.payload_key_id, by_master_key=counts)


def _resealed(
    master: MasterKeys, key_row: uuid.UUID, sealed_by: str, sealed: bytes | None
) -> bytes | None:
    """The data key sealed by the active master key; None when it cannot be opened."""
    if sealed is None:
        return None
    associated = (DATA_PREFIX + str(key_row)).encode()
    try:
        data_key = unseal(master.get(sealed_by), sealed, associated)
    except KeyUnavailable:
        return None
    return seal(master.active, data_key, associated)
