"""Tables of social cooperatives (issue 3): the founding initiative and its outside members' names;
the cooperative's workflow holds the rest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.types import UtcDateTime


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
