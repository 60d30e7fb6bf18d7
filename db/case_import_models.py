"""The table of imported existing cases (issue 5)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.types import UtcDateTime


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
