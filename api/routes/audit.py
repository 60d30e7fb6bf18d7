"""`GET /audit`: the audit log, for supervisors (their unit) and admins (every unit)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from api.deps import ServicesDep, Supervision
from domain.audit import AuditPage
from services import audit_log

router = APIRouter(tags=["audit"])


@router.get("/audit")
async def read_audit_log(
    services: ServicesDep,
    caller: Supervision,
    participant_id: uuid.UUID | None = None,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    cursor: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,  # a BIGINT id
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """The audit log, newest first; follow `next_cursor`."""
    return await audit_log.read(
        services, caller, participant_id, actor, action, since, until, cursor, limit
    )
