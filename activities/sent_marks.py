"""Group commit of delivered messages: many activities' "sent" marks in one transaction.

A delivered message must be marked sent before its activity returns, but a commit per message
is what limits throughput when a thousand reminders go at 08:00. Activities running in one worker
process hand their marks to a few writers and wait; whatever arrives while the writers are
committing goes into their next transaction.
"""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import notifications as outbox
from db.session import unit_of_work

MAX_BATCH = 500
# Transactions in flight at once: a mark never waits behind more than a commit already running.
MAX_WRITERS = 4


class SentMarks:
    """Marks outbox rows sent, batching concurrent callers into shared commits."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._pending: list[tuple[uuid.UUID, asyncio.Future[None]]] = []
        self._writers: set[asyncio.Task[None]] = set()

    async def mark(self, outbox_id: uuid.UUID) -> None:
        """Return once the row is committed as sent (or raise what the commit raised)."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append((outbox_id, done))
        if len(self._writers) < MAX_WRITERS:
            writer = asyncio.create_task(self._write())
            self._writers.add(writer)
            writer.add_done_callback(self._writers.discard)
        # Shielded: an activity cancelled while waiting still has its row marked.
        await asyncio.shield(done)

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                async with unit_of_work(self._sessions) as session:
                    await outbox.mark_sent(session, [outbox_id for outbox_id, _ in batch])
            except Exception as err:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(err)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
