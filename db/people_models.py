"""Tables of units and the people in them: staff (users, their revoked tokens, the unit's access
policy) and participants. Participants and their categories hold personal data."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, utcnow
from db.types import UtcDateTime


class Unit(Base):
    """A KIS or CIS (or the centre running it); users and participants belong to one."""

    __tablename__ = "units"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    # The phone number participants' reminders give them to call (issue 4).
    phone: Mapped[str | None] = mapped_column(String(20))
    # The unit's own targets (its project's, e.g. a KIS's 30 %), shown beside the rulebook's.
    employment_target_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    social_target_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UnitPolicy(Base):
    """A unit's access settings: caseworkers may be limited to their own caseload."""

    __tablename__ = "unit_policies"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    caseload_only: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    """A member of staff."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Where the daily digest and escalations go (issue 4); staff without one get no e-mail.
    email: Mapped[str | None] = mapped_column(String(254))

    unit: Mapped[Unit] = relationship(lazy="raise")


class RevokedToken(Base):
    """A bearer token given back at logout: refused until it would have expired anyway."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class Participant(Base):
    """A person in the programme. Personal data: never in Temporal, never in logs."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("unit_id", "pesel", name="uq_participants_unit_pesel"),
        # The list's default order: a page is read in order, not sorted from the whole unit.
        Index("ix_participants_unit_name", "unit_id", "last_name", "first_name", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    pesel: Mapped[str | None] = mapped_column(String(11))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    consent_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_email: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language of reminders ("pl" or "en"), and when a consent was last changed (issue 4).
    language: Mapped[str] = mapped_column(String(2), default="pl", server_default="pl")
    consent_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ParticipantCategory(Base):
    """Eligibility categories (art. 1 ust. 2): special-category data, kept apart."""

    __tablename__ = "participant_categories"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(40), primary_key=True)


class ParticipantExclusion(Base):
    """A right that puts the person outside the act (art. 1 ust. 3): no CIS, KIS only with an
    incapacity pension (ust. 3a). Personal data, erased with the person."""

    __tablename__ = "participant_exclusions"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    exclusion: Mapped[str] = mapped_column(String(40), primary_key=True)
