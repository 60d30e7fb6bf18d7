"""The audit log as `GET /audit` shows it: ids and field names, never values."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    """Who did or saw what about whom, and when: ids and field names, never values."""

    id: int
    at: datetime
    actor: str
    role: str
    unit_id: uuid.UUID  # where it happened
    actor_unit_id: uuid.UUID | None  # the actor's own unit (another, for an admin's act here)
    action: str
    participant_id: uuid.UUID | None
    pathway_id: uuid.UUID | None
    fields: list[str]


class AuditPage(BaseModel):
    """A page of the audit log, newest first."""

    items: list[AuditEntryOut]
    next_cursor: int | None
