"""Tables. Participants and their categories hold personal data; pathway rows are the read model."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timestamps are stored in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints the same way."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every timestamp column is a `UtcDateTime`, even one declared as a plain `DateTime`.

        (SQLite would otherwise hand back naive datetimes, and comparing them with aware ones
        fails; a table from any module gets the same type.)
        """
        super().__init_subclass__(**kwargs)
        table = cls.__dict__.get("__table__")
        for column in getattr(table, "columns", ()):
            if isinstance(column.type, DateTime):
                column.type = UtcDateTime()


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


class IdempotencyRecord(Base):
    """The first answer to a request sent with an `Idempotency-Key`, per user."""

    __tablename__ = "idempotency_records"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# --- security and privacy (issue 6) -----------------------------------------------------------


class UnitPolicy(Base):
    """A unit's access settings: caseworkers may be limited to their own caseload."""

    __tablename__ = "unit_policies"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    caseload_only: Mapped[bool] = mapped_column(Boolean, default=False)


class ParticipantKey(Base):
    """A participant's data key, sealed by a master key; destroying it shreds their history."""

    __tablename__ = "participant_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), unique=True)
    master_key_id: Mapped[str] = mapped_column(String(100))
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    destroyed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """Who did or saw what about whom: appended, never changed (a trigger refuses it)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    # The unit whose log holds the entry: where the act happened (an admin may act anywhere).
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # The unit the actor belongs to (None on entries written before migration 0010).
    actor_unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(40))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    pathway_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)


class ParticipantErasure(Base):
    """A participant whose personal data was erased (art. 17); their pathways stay, anonymous."""

    __tablename__ = "participant_erasures"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True
    )
    erased_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    erased_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


# --- social cooperatives (issue 3) ------------------------------------------------------------


class Cooperative(Base):
    """A founding initiative: its unit (for scoping) and name; its workflow holds the rest."""

    __tablename__ = "cooperatives"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class CooperativeMember(Base):
    """An outside member's name (personal data, never in Temporal); the workflow knows the id."""

    __tablename__ = "cooperative_members"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    cooperative_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# --- supervisors' reports (issue 5) -----------------------------------------------------------


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


# --- caseworker tasks, digest, escalation (issue 4) -------------------------------------------


class TaskPolicy(Base):
    """A unit's rule for late tasks; without a row, domain.tasks.DEFAULT_TASK_POLICY holds."""

    __tablename__ = "task_policies"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    escalate_after_working_days: Mapped[int] = mapped_column(Integer)


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


class TaskEscalation(Base):
    """A late task handed to the unit's supervisors: once per (pathway, kind, due date)."""

    __tablename__ = "task_escalations"

    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    escalated_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# --- participants' reminders: appointments and the notification outbox (issue 4) ---------------


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


# --- import of existing cases (issue 5) -------------------------------------------------------


class CaseImport(Base):
    """An imported case: the participant and pathway it became, and how many steps were sent."""

    __tablename__ = "case_imports"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    pathway_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pathways.id"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    steps_total: Mapped[int] = mapped_column(Integer)
    steps_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# --- tables that live in modules of their own (they register themselves on Base) -------------

from db import caseload_models as caseload_models  # noqa: E402  (who holds each case, issue 16)
from db import group_tables as group_tables  # noqa: E402  (a centre's week, issue 14)
from db import month_end_models as month_end_models  # noqa: E402  (the month's end, issue 15)
