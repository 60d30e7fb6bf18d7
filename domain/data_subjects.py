"""What a data subject's requests answer: everything held on a participant (GDPR art. 15), and
what erasure did (art. 17)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from domain.participants import ParticipantOut, PathwaySummary
from domain.scans import ScanOut


class ExportedEvent(BaseModel):
    """One fact of a pathway's timeline."""

    seq: int
    type: str
    occurred_on: date
    actor: str
    recorded_at: datetime
    data: dict[str, Any]


class ExportedPathway(PathwaySummary):
    """A pathway with its timeline."""

    events: list[ExportedEvent]


class ExportedAccess(BaseModel):
    """Who saw or changed the participant's data, and when."""

    at: datetime
    actor: str
    role: str
    action: str
    fields: list[str]


class ExportedAppointment(BaseModel):
    """A workshop, meeting or review planned for the participant."""

    pathway_id: uuid.UUID
    starts_at: datetime
    kind: str
    place: str
    cancelled_at: datetime | None


class ExportedMessage(BaseModel):
    """A reminder sent, or meant, for the participant: what kind, by which channel, how it went."""

    kind: str
    channel: str | None
    status: str
    reason: str | None
    due_at: datetime
    sent_at: datetime | None


class ParticipantExport(BaseModel):
    """Everything the product holds on a participant."""

    exported_at: datetime
    erased_at: datetime | None
    participant: ParticipantOut
    pathways: list[ExportedPathway]
    appointments: list[ExportedAppointment]
    sessions: list[ExportedAppointment] = Field(
        deprecated=True, description="The same as `appointments` (their first name)."
    )
    messages: list[ExportedMessage]
    access_log: list[ExportedAccess]
    # Uploaded scans (issue 15): what each is; the content is downloaded by its own request.
    scans: list[ScanOut] = Field(default_factory=list)


class ErasureOut(BaseModel):
    """What erasure did."""

    participant_id: uuid.UUID
    erased_at: datetime
    pathways_kept_anonymous: int
