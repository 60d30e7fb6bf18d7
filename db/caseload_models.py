"""Tables of who holds each case (issue 16): a unit's caseload policy, deputies, hand-overs and
caseworkers' leave. Imported at the end of db/models.py, so one metadata holds them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class CaseloadPolicyRow(Base):
    """A unit's limit of open cases per caseworker (none: no limit)."""

    __tablename__ = "caseload_policies"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    max_open_cases: Mapped[int | None] = mapped_column(Integer)


class PathwayDeputy(Base):
    """A pathway's deputy caseworker (the holder is `pathways.caseworker_id`)."""

    __tablename__ = "pathway_deputies"

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    deputy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class Handover(Base):
    """One supervisor's act: some cases, or a whole caseload, handed to colleagues."""

    __tablename__ = "handovers"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoverCase(Base):
    """One case of a hand-over, once (the key); `told_at`: its workflow has the event."""

    __tablename__ = "handover_cases"

    handover_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handovers.id"), primary_key=True)
    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    previous_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    holder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    deputy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffLeave(Base):
    """A caseworker away (leave, sickness) for a span of days: their tasks and digest go to the
    pathway's deputy (else `cover_id`) on those days; the cases stay theirs."""

    __tablename__ = "staff_leaves"
    __table_args__ = (Index("ix_staff_leaves_user_days", "user_id", "first_day", "last_day"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    cover_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnitPlaces(Base):
    """A unit's places in a programme and the rule of its waiting list."""

    __tablename__ = "unit_places"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    programme: Mapped[str] = mapped_column(String(10), primary_key=True)
    places: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(30))


class PlaceClaim(Base):
    """A place taken by a step (`refer {to: "cis"}`) before the read model shows it: counted as
    occupied until the pathway's projection shows it in the programme, or for `CLAIM_HOLD`
    (db/places.py) when the step never happened (the process died before it was undone)."""

    __tablename__ = "place_claims"
    __table_args__ = (Index("ix_place_claims_unit_programme", "unit_id", "programme"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    programme: Mapped[str] = mapped_column(String(10))
    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExternalReferral(Base):
    """A participant referred by a unit to an institution outside the system (supported
    employment at a labour office), by name; its outcome recorded later by the unit."""

    __tablename__ = "external_referrals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    institution: Mapped[str] = mapped_column(String(200))
    programme: Mapped[str] = mapped_column(String(30))
    referred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    consent_transfer_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    outcome_note: Mapped[str | None] = mapped_column(String(500))
    outcome_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class WaitingEntryRow(Base):
    """A participant waiting for a place; `admitted_on` when a pathway opened for them,
    `removed_at` when taken off the list otherwise."""

    __tablename__ = "waiting_entries"
    __table_args__ = (Index("ix_waiting_entries_unit_programme", "unit_id", "programme"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    programme: Mapped[str] = mapped_column(String(10))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    admitted_on: Mapped[date | None] = mapped_column(Date)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Referral(Base):
    """A participant referred by one unit to another (a KIS to a CIS). The receiving unit sees
    only the name, PESEL, date and reason; the categories only with the participant's consent.
    Accepted: a participant record and a pathway of the receiving unit (`new_*`)."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_to_unit_status", "to_unit_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    from_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    to_unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    # The sender's open pathway when it referred (told of the decision).
    from_pathway_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pathways.id"))
    programme: Mapped[str] = mapped_column(String(10))
    referred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    consent_transfer_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consent_categories: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    # The sending pathway's workflow confirmed the decision (None: the morning run tells it).
    told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    new_participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    new_pathway_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pathways.id"))
