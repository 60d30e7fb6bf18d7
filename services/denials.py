"""Denied requests leave a trace: a 403, or a 404 on an id the caller may not reach (another
unit's, or outside their caseload), is appended to the audit log of the caller's unit.

Probing for other units' records is how a misused account shows itself, so supervisors should
see it; but a loop of denied requests must not flood the log, so each user gets at most
`denied_audit_limit` entries per `denied_audit_window_seconds`; the rest are counted and the
count is written into that user's next entry.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import audit
from db.session import unit_of_work

if TYPE_CHECKING:  # the context holds a DenialLog
    from services.context import Caller

_MAX_USERS = 10_000  # users with a recent denial kept in memory; the oldest go first


@dataclass(frozen=True)
class Denial:
    """One refused request: its status and error code, what was asked (method and route
    template, never the filled-in path), and the ids it named."""

    status: int
    code: str
    request: str
    participant_id: uuid.UUID | None = None
    pathway_id: uuid.UUID | None = None


class DenialLog:
    """Appends `access.denied` entries, at most `limit` per user within `window_seconds`."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], limit: int, window_seconds: float
    ) -> None:
        self._sessions = sessions
        self._limit = limit
        self._window = window_seconds
        self._recent: OrderedDict[uuid.UUID, deque[float]] = OrderedDict()
        self._unrecorded: dict[uuid.UUID, int] = {}

    async def record(self, caller: Caller, denial: Denial) -> bool:
        """Audit one denial unless the caller has used up their entries; whether it was."""
        if not self._admit(caller.id):
            self._unrecorded[caller.id] = self._unrecorded.get(caller.id, 0) + 1
            return False
        fields = [f"status:{denial.status}", f"code:{denial.code}", denial.request]
        unrecorded = self._unrecorded.pop(caller.id, 0)
        if unrecorded:
            fields.append(f"unrecorded_before:{unrecorded}")
        async with unit_of_work(self._sessions) as session:
            await audit.append(
                session,
                caller.actor,
                "access.denied",
                fields,
                participant_id=denial.participant_id,
                pathway_id=denial.pathway_id,
            )
        return True

    def _admit(self, user_id: uuid.UUID) -> bool:
        now = time.monotonic()
        recent = self._recent.pop(user_id, deque())
        while recent and recent[0] <= now - self._window:
            recent.popleft()
        admitted = len(recent) < self._limit
        if admitted:
            recent.append(now)
        self._recent[user_id] = recent
        while len(self._recent) > _MAX_USERS:
            self._recent.popitem(last=False)
        return admitted
