"""The read model of appointments: written by the pathway's projection, read by lists and Today."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Appointment, Pathway, utcnow
from db.upsert import upsert
from domain.appointments import Appointment as HeldAppointment
from domain.calendar import WARSAW

_CHANGEABLE = ("starts_at", "kind", "place", "cancelled_at", "updated_at")


async def project_appointments(
    session: AsyncSession, pathway_id: uuid.UUID, held: Sequence[HeldAppointment]
) -> None:
    """Write a pathway's appointments as the workflow holds them (insert or update by id)."""
    query = select(Pathway.unit_id).where(Pathway.id == pathway_id)
    unit_id = (await session.execute(query)).scalar_one_or_none()
    if unit_id is None:
        return
    now = utcnow()
    for item in held:
        row = {
            "id": uuid.UUID(item.id),
            "pathway_id": pathway_id,
            "unit_id": unit_id,
            "starts_at": item.starts_at,
            "kind": item.kind,
            "place": item.place,
            "cancelled_at": now if item.cancelled else None,
            "updated_at": now,
        }
        await session.execute(upsert(session, Appointment, row, ["id"], _CHANGEABLE))


async def appointments_of_pathway(
    session: AsyncSession, pathway_id: uuid.UUID
) -> list[Appointment]:
    """A pathway's appointments, by start."""
    query = (
        select(Appointment)
        .where(Appointment.pathway_id == pathway_id)
        .order_by(Appointment.starts_at)
    )
    return list((await session.execute(query)).scalars())


async def appointments_on_day(
    session: AsyncSession, unit_id: uuid.UUID, day: date, include_cancelled: bool = False
) -> list[Appointment]:
    """A unit's appointments on a Polish calendar day (the web UI's "today"), by start."""
    start = datetime.combine(day, time.min, tzinfo=WARSAW).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=WARSAW).astimezone(UTC)
    query = select(Appointment).where(
        Appointment.unit_id == unit_id, Appointment.starts_at >= start, Appointment.starts_at < end
    )
    if not include_cancelled:
        query = query.where(Appointment.cancelled_at.is_(None))
    return list((await session.execute(query.order_by(Appointment.starts_at))).scalars())


async def cancelled_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, bool]:
    """The appointments the read model holds among `ids`, and whether each is cancelled."""
    if not ids:
        return {}
    query = select(Appointment.id, Appointment.cancelled_at).where(Appointment.id.in_(ids))
    return {row[0]: row[1] is not None for row in await session.execute(query)}
