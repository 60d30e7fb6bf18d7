"""Caseworkers' leave and who answers for a case on a day: its holder, or while the holder is
away, the pathway's deputy (else the leave's cover). Every function takes a session."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.caseload_models import PathwayDeputy, StaffLeave
from db.models import Pathway
from db.upsert import upsert


def _away(day: date, cover: Any = None) -> ColumnElement[bool]:
    """The pathway's holder is on leave on `day` (with this cover, if given)."""
    query = exists().where(
        StaffLeave.user_id == Pathway.caseworker_id,
        StaffLeave.first_day <= day,
        StaffLeave.last_day >= day,
    )
    if cover is not None:
        query = query.where(cover)
    return query.correlate_except(StaffLeave)


def responsible_on(user: Any, day: date) -> ColumnElement[bool]:
    """The pathway is `user`'s to answer for on `day`: they hold it and nobody covers for them,
    or its holder is away and they are its deputy (or, with no deputy, the leave's cover)."""
    has_deputy = (
        exists().where(PathwayDeputy.pathway_id == Pathway.id).correlate_except(PathwayDeputy)
    )
    is_deputy = (
        exists()
        .where(PathwayDeputy.pathway_id == Pathway.id, PathwayDeputy.deputy_id == user)
        .correlate_except(PathwayDeputy)
    )
    away = _away(day)
    covered = and_(away, or_(has_deputy, _away(day, StaffLeave.cover_id.is_not(None))))
    return or_(
        and_(Pathway.caseworker_id == user, ~covered),
        and_(away, or_(is_deputy, and_(~has_deputy, _away(day, StaffLeave.cover_id == user)))),
    )


async def record_leave(
    session: AsyncSession,
    user_id: uuid.UUID,
    unit_id: uuid.UUID,
    first_day: date,
    last_day: date,
    cover_id: uuid.UUID | None,
    created_by: uuid.UUID,
) -> StaffLeave:
    """A caseworker's leave."""
    leave = StaffLeave(
        user_id=user_id,
        unit_id=unit_id,
        first_day=first_day,
        last_day=last_day,
        cover_id=cover_id,
        created_by=created_by,
    )
    session.add(leave)
    await session.flush()
    return leave


async def leaves_of_unit(
    session: AsyncSession, unit_id: uuid.UUID, since: date
) -> list[StaffLeave]:
    """The unit's leaves that end on or after `since`, earliest first."""
    query = (
        select(StaffLeave)
        .where(StaffLeave.unit_id == unit_id, StaffLeave.last_day >= since)
        .order_by(StaffLeave.first_day, StaffLeave.id)
    )
    return list((await session.execute(query)).scalars())


async def set_deputy(
    session: AsyncSession, pathway_id: uuid.UUID, deputy_id: uuid.UUID | None
) -> None:
    """Name (or clear) a pathway's deputy."""
    if deputy_id is None:
        await session.execute(delete(PathwayDeputy).where(PathwayDeputy.pathway_id == pathway_id))
        return
    values = {"pathway_id": pathway_id, "deputy_id": deputy_id}
    await session.execute(upsert(session, PathwayDeputy, values, ["pathway_id"], ["deputy_id"]))
