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
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.responses import Response

from api.deps import Caller
from db import audit
from db.audit import Actor
from db.session import unit_of_work
from domain.errors import DomainError, Forbidden, NotFound

_MAX_USERS = 10_000  # users with a recent denial kept in memory; the oldest go first


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

    async def record(self, request: Request, caller: Caller, status: int, code: str) -> bool:
        """Audit one denial unless the caller has used up their entries; whether it was."""
        if not self._admit(caller.id):
            self._unrecorded[caller.id] = self._unrecorded.get(caller.id, 0) + 1
            return False
        route = getattr(request.scope.get("route"), "path", "unmatched")
        fields = [f"status:{status}", f"code:{code}", f"{request.method} {route}"]
        unrecorded = self._unrecorded.pop(caller.id, 0)
        if unrecorded:
            fields.append(f"unrecorded_before:{unrecorded}")
        params = request.path_params
        actor = Actor(caller.id, caller.username, caller.role, caller.unit_id)
        async with unit_of_work(self._sessions) as session:
            await audit.append(
                session,
                actor,
                "access.denied",
                fields,
                participant_id=_uuid(params.get("participant_id")),
                pathway_id=_uuid(params.get("pathway_id")),
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


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


Handler = Callable[[Request, Exception], Awaitable[Response] | Response]


def install_denial_audit(app: FastAPI) -> None:
    """Audit denials before the API's (or the web's) error answer is made."""
    answer: Handler = app.exception_handlers[DomainError]

    async def audited(request: Request, err: Exception) -> Response:
        caller = getattr(request.state, "caller", None)
        if isinstance(err, Forbidden | NotFound) and isinstance(caller, Caller):
            denials: DenialLog = request.app.state.denials
            status = 403 if isinstance(err, Forbidden) else 404
            await denials.record(request, caller, status, err.code)
        response = answer(request, err)
        return response if isinstance(response, Response) else await response

    app.add_exception_handler(DomainError, audited)
