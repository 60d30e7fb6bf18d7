"""Tables of the month's end (issue 15): closed payrolls, uploaded scans. Imported at the end
of db/models.py."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base, utcnow


class PayrollClosure(Base):
    """A unit's month closed by a supervisor: the payroll as it was, frozen (no names in it)."""

    __tablename__ = "payroll_closures"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    closed_by_name: Mapped[str] = mapped_column(String(100))
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class Scan(Base):
    """An uploaded scan (a signed original, a medical certificate), sealed with the participant's
    data key: erasure destroys the key, and with it every scan of theirs."""

    __tablename__ = "scans"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    pathway_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pathways.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"))
    seq: Mapped[int | None] = mapped_column(Integer)  # the step it belongs to, if any
    kind: Mapped[str] = mapped_column(String(40))
    media_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    key_id: Mapped[str] = mapped_column(String(100))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
