"""Tables of a centre's week (issue 14): groups, memberships, the programme's classes, the
attendance lists a group's instructor sends, PSU agreements and placements.

`class_marks` is the ledger of the lists: one row per (class, day, person, correction); a
correction is a new row, never an update of an earlier one, and the latest correction stands.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Time,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class Group(Base):
    """A unit's group: a workshop group, a cohort of a programme."""

    __tablename__ = "groups"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    instructor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GroupMembership(Base):
    """A stretch of a person's membership: [joined_on, left_on)."""

    __tablename__ = "group_memberships"
    __table_args__ = (Index("ix_group_memberships_participant", "participant_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class PlannedClassRow(Base):
    """A class of the monthly programme: one-off (`on`) or weekly."""

    __tablename__ = "planned_classes"
    __table_args__ = (Index("ix_planned_classes_unit", "unit_id", "first_day", "on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id"), index=True)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    starts_at: Mapped[time] = mapped_column(Time)
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    on: Mapped[date | None] = mapped_column(Date)
    weekday: Mapped[int | None] = mapped_column(Integer)
    first_day: Mapped[date | None] = mapped_column(Date)
    last_day: Mapped[date | None] = mapped_column(Date)
    cancelled_days: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ClassMark(Base):
    """One person's mark on a class's attendance list, as sent (a correction is a new row)."""

    __tablename__ = "class_marks"
    __table_args__ = (
        UniqueConstraint(
            "class_id", "day", "participant_id", "correction", name="uq_class_marks_entry"
        ),
        Index("ix_class_marks_unit_day", "unit_id", "day"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("planned_classes.id"))
    day: Mapped[date] = mapped_column(Date)
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    correction: Mapped[int] = mapped_column(Integer, default=0)
    mark: Mapped[str] = mapped_column(String(20))  # present | absent | day_off
    hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    absence: Mapped[str | None] = mapped_column(String(20))
    pathway_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pathways.id"))
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The pathway step (its seq) the mark stands as: a later correction supersedes exactly it.
    step_seq: Mapped[int | None] = mapped_column(Integer)


class PsuAgreementRow(Base):
    """The municipality's annual PSU agreement with a host institution, with its regime's caps."""

    __tablename__ = "psu_agreements"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    host: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    regime: Mapped[str] = mapped_column(String(20))
    weekly_hours_max: Mapped[int | None] = mapped_column(Integer)
    monthly_hours_max: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PsuHours(Base):
    """Hours of PSU planned for a person on a day under an agreement (a placement's day)."""

    __tablename__ = "psu_hours"
    __table_args__ = (Index("ix_psu_hours_participant_day", "participant_id", "day"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("psu_agreements.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CertifiedHours(Base):
    """A disabled participant's lower weekly figure, as the certificate says (art. 14)."""

    __tablename__ = "certified_hours"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
