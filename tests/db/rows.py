"""Rows the database-level tests start from, written directly (no API, no Temporal)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Participant, Unit, User


async def cis_with_people(session: AsyncSession, people: list[uuid.UUID]) -> uuid.UUID:
    """A CIS unit with its head (a supervisor, the same id as the unit) and these participants;
    the unit's id."""
    unit = uuid.uuid4()
    await session.execute(insert(Unit), [{"id": unit, "code": f"CIS-{unit.hex[:8]}",
                                           "name": "CIS", "kind": "cis"}])  # fmt: skip
    await session.execute(insert(User), [{"id": unit, "username": f"u-{unit.hex[:8]}",
                                           "password_hash": "-", "role": "supervisor",
                                           "unit_id": unit}])  # fmt: skip
    await session.execute(insert(Participant), [{"id": p, "unit_id": unit, "first_name": "Jan",
                          "last_name": "Nowak", "birth_date": date(1980, 1, 1),
                          "created_by": unit} for p in people])  # fmt: skip
    return unit
