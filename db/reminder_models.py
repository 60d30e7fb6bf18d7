"""Tables of reminders (issue 4): caseworkers' late tasks and their escalation, e-mails to staff,
participants' appointments and the outbox of their notifications."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.types import UtcDateTime


class TaskPolicy(Base):
    """A unit's rule for late tasks; without a row, domain.tasks.DEFAULT_TASK_POLICY holds."""

    __tablename__ = "task_policies"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    escalate_after_working_days: Mapped[int] = mapped_column(Integer)


class TaskEscalation(Base):
    """A late task handed to the unit's supervisors: once per (pathway, kind, due date)."""

    __tablename__ = "task_escalations"

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    escalated_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StaffMessage(Base):
    """An e-mail to staff (digest, escalation), claimed once by its key so it goes out once."""

    __tablename__ = "staff_messages"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Appointment(Base):
    """A pathway's appointment (workshop, individual meeting, review), from its workflow."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_unit_id_starts_at", "unit_id", "starts_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(200))
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Notification(Base):
    """One message to a participant, claimed once by (pathway, reminder, due moment).

    `status`: queued, sending, sent, retrying, failed, suppressed (no_consent, no_address) or
    dropped (quiet_hours_no_slot, ...). `last_error` holds a code, never an address or a text.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint(
            "pathway_id", "reminder", "due_at", name="uq_notifications_pathway_reminder_due"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    reminder: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime())
    channel: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
