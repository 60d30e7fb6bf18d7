"""Participants' data keys: sealed by a master key, cached briefly, destroyed on erasure.

The codec asks for the key of a workflow's payloads; the first pathway of a participant
creates the key. A destroyed key is never replaced, so an erased participant's history stays
unreadable and nothing new can be sealed for them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Uuid, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.cache import LookupCache
from core.codec import DATA_PREFIX, KeyUnavailable, MasterKeys, new_data_key, seal, unseal
from db.models import Participant, ParticipantKey, Pathway, utcnow
from db.session import unit_of_work
from db.upsert import insert_ignoring
from domain.workflow_ids import pathway_of

_MAX_CACHED_KEYS = 50_000


async def key_of_pathway(
    session: AsyncSession, pathway_id: uuid.UUID
) -> tuple[uuid.UUID, ParticipantKey | None] | None:
    """The pathway's participant and their key row (if any); None for an unknown pathway."""
    query = (
        select(Pathway.participant_id, ParticipantKey)
        .outerjoin(ParticipantKey, ParticipantKey.participant_id == Pathway.participant_id)
        .where(Pathway.id == pathway_id)
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


async def add_key(session: AsyncSession, row: ParticipantKey) -> None:
    """Store a participant's key unless they already have one (a concurrent twin won)."""
    values = {
        "id": row.id,
        "participant_id": row.participant_id,
        "master_key_id": row.master_key_id,
        "sealed_key": row.sealed_key,
        "created_at": utcnow(),
        "destroyed_at": row.destroyed_at,
    }
    await session.execute(
        insert_ignoring(session, ParticipantKey, ["participant_id"]).values(values)
    )


async def key_by_id(session: AsyncSession, key_id: uuid.UUID) -> ParticipantKey | None:
    """A key row by id."""
    return await session.get(ParticipantKey, key_id)


async def destroy_key(session: AsyncSession, participant_id: uuid.UUID, master_key_id: str) -> None:
    """Forget the participant's key for good; one is recorded as destroyed if they had none."""
    now = utcnow()
    await add_key(
        session,
        ParticipantKey(
            id=uuid.uuid4(),
            participant_id=participant_id,
            master_key_id=master_key_id,
            sealed_key=None,
            destroyed_at=now,
        ),
    )
    await session.execute(
        update(ParticipantKey)
        .where(ParticipantKey.participant_id == participant_id)
        .values(sealed_key=None, destroyed_at=now)
    )


class DatabaseKeyStore:
    """The codec's data keys, from the database, cached for `cache_seconds`."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        master: MasterKeys,
        cache_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._master = master
        self._by_workflow: LookupCache[str, tuple[str, bytes]] = LookupCache(
            _MAX_CACHED_KEYS, cache_seconds
        )
        self._by_id: LookupCache[str, bytes] = LookupCache(_MAX_CACHED_KEYS, cache_seconds)

    async def key_for_workflow(self, workflow_id: str) -> tuple[str, bytes] | None:
        """The participant's key for a pathway's workflow, made on first use."""
        cached = self._by_workflow.peek(workflow_id)
        if cached is not None:
            return cached
        pathway = _uuid(pathway_of(workflow_id))
        if pathway is None:
            return None
        async with unit_of_work(self._sessions) as session:
            found = await key_of_pathway(session, pathway)
            if found is None:
                return None
            participant_id, row = found
            if row is None:
                await add_key(session, self._new_row(participant_id))
                found = await key_of_pathway(session, pathway)
                assert found is not None
                row = found[1]
            assert row is not None
        key_id, key = DATA_PREFIX + str(row.id), self._open(row)
        self._by_workflow.put(workflow_id, (key_id, key))
        self._by_id.put(key_id, key)
        return key_id, key

    async def key_by_id(self, key_id: str) -> bytes:
        """A data key by id; `KeyUnavailable` when it is unknown or destroyed."""
        cached = self._by_id.peek(key_id)
        if cached is not None:
            return cached
        ident = _uuid(key_id.removeprefix(DATA_PREFIX))
        if ident is None:
            raise KeyUnavailable(f"unknown key id {key_id!r}")
        async with self._sessions() as session:
            row = await key_by_id(session, ident)
        if row is None:
            raise KeyUnavailable(f"unknown key id {key_id!r}")
        key = self._open(row)
        self._by_id.put(key_id, key)
        return key

    async def provide(self, session: AsyncSession, participant_id: uuid.UUID) -> None:
        """Give a new participant their data key in the registering transaction, so that no
        pathway start has to make one."""
        await add_key(session, self._new_row(participant_id))

    async def prime(
        self, session: AsyncSession, workflow_id: str, participant_id: uuid.UUID
    ) -> None:
        """Load a participant's key for a workflow about to start, in the caller's transaction,
        so that encoding the start needs no transaction of its own."""
        row = await session.scalar(_KEY_OF_PARTICIPANT, {"participant_id": participant_id})
        if row is None or row.sealed_key is None:
            return  # made (or refused) on first use, as before
        key_id, key = DATA_PREFIX + str(row.id), self._open(row)
        self._by_workflow.put(workflow_id, (key_id, key))
        self._by_id.put(key_id, key)

    def remember(self, workflow_id: str, key_id: str, key: bytes) -> None:
        """Note the key a workflow's payloads were sealed with (learnt by opening one)."""
        self._by_workflow.put(workflow_id, (key_id, key))
        self._by_id.put(key_id, key)

    def forget(self) -> None:
        """Drop every cached key (after an erasure in this process)."""
        self._by_workflow.clear()
        self._by_id.clear()

    def _new_row(self, participant_id: uuid.UUID) -> ParticipantKey:
        return self.new_key(participant_id)[0]

    def new_key(self, participant_id: uuid.UUID) -> tuple[ParticipantKey, str, bytes]:
        """A new participant's data key: its row (sealed by the active master key), its id and
        the key itself (a batch of imported cases adds the rows and remembers the keys)."""
        ident, key = uuid.uuid4(), new_data_key()
        key_id = DATA_PREFIX + str(ident)
        row = ParticipantKey(
            id=ident,
            participant_id=participant_id,
            master_key_id=self._master.active_id,
            sealed_key=seal(self._master.active, key, key_id.encode()),
            destroyed_at=None,
            created_at=utcnow(),
        )
        return row, key_id, key

    def _open(self, row: ParticipantKey) -> bytes:
        if row.sealed_key is None:
            raise KeyUnavailable("the participant's key was destroyed (erasure)")
        master = self._master.get(row.master_key_id)
        return unseal(master, row.sealed_key, (DATA_PREFIX + str(row.id)).encode())


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


async def owner_of_key(
    session: AsyncSession, key_id: uuid.UUID
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """The participant a data key belongs to, and their unit."""
    query = (
        select(Participant.id, Participant.unit_id)
        .join(ParticipantKey, ParticipantKey.participant_id == Participant.id)
        .where(ParticipantKey.id == key_id)
    )
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1])


# Built once, its participant a parameter: every pathway start primes the person's key.
_KEY_OF_PARTICIPANT = select(ParticipantKey).where(
    ParticipantKey.participant_id == bindparam("participant_id", type_=Uuid)
)


async def keys_to_rewrap(
    session: AsyncSession, active_id: str, after: uuid.UUID | None, limit: int
) -> list[ParticipantKey]:
    """Live keys sealed by a master key other than the active one, in id order after `after`."""
    query = (
        select(ParticipantKey)
        .where(ParticipantKey.master_key_id != active_id, ParticipantKey.sealed_key.is_not(None))
        .order_by(ParticipantKey.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(ParticipantKey.id > after)
    return list((await session.scalars(query)).all())


async def reseal(
    session: AsyncSession, row: ParticipantKey, master_key_id: str, sealed_key: bytes
) -> bool:
    """Store a key sealed anew, unless it changed meanwhile (destroyed by an erasure, or already
    rewrapped by a twin run); whether it was stored."""
    changed = await session.execute(
        update(ParticipantKey)
        .where(
            ParticipantKey.id == row.id,
            ParticipantKey.master_key_id == row.master_key_id,
            ParticipantKey.sealed_key.is_not(None),
        )
        .values(master_key_id=master_key_id, sealed_key=sealed_key)
        .returning(ParticipantKey.id)
        .execution_options(synchronize_session=False)
    )
    return changed.first() is not None


async def keys_by_master(session: AsyncSession) -> dict[str, int]:
    """How many live participant keys each master key seals."""
    query = (
        select(ParticipantKey.master_key_id, func.count())
        .where(ParticipantKey.sealed_key.is_not(None))
        .group_by(ParticipantKey.master_key_id)
    )
    return {master: int(count) for master, count in (await session.execute(query)).all()}
