"""Tables of pathways, the read model: each pathway, its timeline and open deadlines, and what the
supervisors' reports count of it (issue 5)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.types import UtcDateTime


class Pathway(Base):
    """A pathway: registered by the API when it starts, then kept current by projection."""

    __tablename__ = "pathways"
    __table_args__ = (
        # One open pathway per participant, enforced by the database (DESIGN.md §4).
        Index(
            "uq_pathways_open_per_participant",
            "participant_id",
            unique=True,
            postgresql_where=text("closed_at IS NULL"),
            sqlite_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    caseworker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    programme: Mapped[str] = mapped_column(String(10))
    started_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(40), index=True)
    graduate: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(40))
    next_due_kind: Mapped[str | None] = mapped_column(String(40))
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PathwayEvent(Base):
    """The timeline, projected: one row per (pathway, seq), written once."""

    __tablename__ = "pathway_events"

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(60))
    occurred_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PathwayDeadline(Base):
    """An open deadline of a pathway, projected: tasks, overdue lists and filters read these."""

    __tablename__ = "pathway_deadlines"
    __table_args__ = (Index("ix_pathway_deadlines_due_on_overdue", "due_on", "overdue"),)

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)


class PathwayReportRow(Base):
    """What the reports count of one pathway, folded from its events (db/report_rows.py)."""

    __tablename__ = "pathway_report_rows"

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    kis_entered_on: Mapped[date | None] = mapped_column(Date)
    cis_entered_on: Mapped[date | None] = mapped_column(Date)
    cis_admitted_on: Mapped[date | None] = mapped_column(Date, index=True)
    trial_passed_on: Mapped[date | None] = mapped_column(Date)
    extension_months: Mapped[int] = mapped_column(Integer, default=0)
    contract_fulfilled: Mapped[bool] = mapped_column(Boolean, default=False)
    kis_completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    kis_graduate: Mapped[bool] = mapped_column(Boolean, default=False)
    cis_completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    job_started_on: Mapped[date | None] = mapped_column(Date)
    job_qualifying: Mapped[bool] = mapped_column(Boolean, default=False)
    exit_kind: Mapped[str | None] = mapped_column(String(40))
    exit_programme: Mapped[str | None] = mapped_column(String(10))
    exited_on: Mapped[date | None] = mapped_column(Date, index=True)
    referred_to: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(40))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    social_progress: Mapped[bool] = mapped_column(Boolean, default=False)
    attendance_days: Mapped[int] = mapped_column(Integer, default=0)
    absence_days: Mapped[int] = mapped_column(Integer, default=0)
    bonus_count: Mapped[int] = mapped_column(Integer, default=0)
    bonus_total: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    projected_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PathwayMonth(Base):
    """A pathway's figures for one month and programme: attendance, PSU, bonuses, CIS benefit."""

    __tablename__ = "pathway_months"
    __table_args__ = (Index("ix_pathway_months_month", "month"),)

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    programme: Mapped[str] = mapped_column(String(10), primary_key=True)
    attendance_days: Mapped[int] = mapped_column(Integer, default=0)
    attendance_hours: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    excused_days: Mapped[int] = mapped_column(Integer, default=0)
    sick_days: Mapped[int] = mapped_column(Integer, default=0)
    unexcused_days: Mapped[int] = mapped_column(Integer, default=0)
    days_off: Mapped[int] = mapped_column(Integer, default=0)
    psu_hours: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal(0))
    bonus_count: Mapped[int] = mapped_column(Integer, default=0)
    bonus_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    benefit_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    deductions_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
