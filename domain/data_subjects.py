"""What a data subject's requests answer: everything held on a participant (GDPR art. 15), and
what erasure did (art. 17)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
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


class ExportedMembership(BaseModel):
    """A stretch in a group of the centre (issue 14): from `joined_on`, until `left_on`."""

    group_id: uuid.UUID
    group: str
    kind: str
    joined_on: date
    left_on: date | None


class ExportedClass(BaseModel):
    """A class of the programme planned for the participant alone (a consultation, say)."""

    id: uuid.UUID
    kind: str
    title: str
    place: str
    starts_at: time
    hours: Decimal
    on: date | None
    weekday: int | None
    first_day: date | None
    last_day: date | None
    cancelled_days: list[date]


class ExportedClassMark(BaseModel):
    """A mark on a class's attendance list, every list and correction as the ledger keeps them
    (the standing one is the latest correction of its class and day)."""

    class_id: uuid.UUID
    class_title: str
    day: date
    correction: int
    mark: str
    hours: Decimal | None
    absence: str | None
    recorded_at: datetime


class ExportedPsuHours(BaseModel):
    """Hours of socially useful work placed on a day under an agreement with a host."""

    agreement_id: uuid.UUID
    host: str
    day: date
    hours: Decimal


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
    # A centre's week (issue 14): groups, own classes, the lists' marks, PSU hours, and the
    # lower weekly hours of a disabled participant's certificate.
    group_memberships: list[ExportedMembership] = Field(default_factory=list)
    classes: list[ExportedClass] = Field(default_factory=list)
    class_marks: list[ExportedClassMark] = Field(default_factory=list)
    psu_hours: list[ExportedPsuHours] = Field(default_factory=list)
    certified_weekly_hours: Decimal | None = None


class ErasureOut(BaseModel):
    """What erasure did."""

    participant_id: uuid.UUID
    erased_at: datetime
    pathways_kept_anonymous: int
