"""Tables of security and privacy (issue 6): the audit log, participants' data keys and erasures,
and the first answers to requests sent with an `Idempotency-Key`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.types import UtcDateTime


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


class ParticipantKey(Base):
    """A participant's data key, sealed by a master key; destroying it shreds their history."""

    __tablename__ = "participant_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), unique=True)
    master_key_id: Mapped[str] = mapped_column(String(100))
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    destroyed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ParticipantErasure(Base):
    """A participant whose personal data was erased (art. 17); their pathways stay, anonymous."""

    __tablename__ = "participant_erasures"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True
    )
    erased_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    erased_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class IdempotencyRecord(Base):
    """The first answer to a request sent with an `Idempotency-Key`, per user."""

    __tablename__ = "idempotency_records"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
