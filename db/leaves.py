"""Caseworkers' leave and who answers for a case on a day: its holder, or while the holder is
away, the pathway's deputy (else the leave's cover, else the unit's supervisors), never someone
away that day. Every function takes a session."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.caseload_models import PathwayDeputy, StaffLeave
from db.models import Pathway, User
from db.upsert import upsert
from domain.roles import Role


def _off(user: Any, day: date) -> ColumnElement[bool]:
    """`user` (an id or a correlated column) is on leave on `day`."""
    leave = aliased(StaffLeave)
    return (
        exists()
        .where(leave.user_id == user, leave.first_day <= day, leave.last_day >= day)
        .correlate_except(leave)
    )


def responsible_on(user: Any, day: date) -> ColumnElement[bool]:
    """The pathway is `user`'s to answer for on `day`, never someone's who is away that day:
    its holder; while the holder is away, its deputy if there is one not away too; else the
    cover named on the holder's leave if not away; else the unit's supervisors not away. The
    cases stay the holder's."""
    deputy = aliased(PathwayDeputy)
    holders_leave = aliased(StaffLeave)
    holder_away = _off(Pathway.caseworker_id, day)
    deputy_there = (
        exists()
        .where(deputy.pathway_id == Pathway.id, ~_off(deputy.deputy_id, day))
        .correlate_except(deputy)
    )

    def covers(who: Any) -> ColumnElement[bool]:
        return (
            exists()
            .where(
                holders_leave.user_id == Pathway.caseworker_id,
                holders_leave.first_day <= day,
                holders_leave.last_day >= day,
                holders_leave.cover_id.is_not(None),
                holders_leave.cover_id == who,
                ~_off(holders_leave.cover_id, day),
            )
            .correlate_except(holders_leave)
        )

    is_deputy = (
        exists()
        .where(deputy.pathway_id == Pathway.id, deputy.deputy_id == user)
        .correlate_except(deputy)
    )
    cover_there = covers(holders_leave.cover_id)  # any cover not away
    staff = aliased(User)
    supervisor = (
        exists()
        .where(
            staff.id == user,
            staff.unit_id == Pathway.unit_id,
            staff.role == Role.SUPERVISOR,
            staff.active.is_(True),
        )
        .correlate_except(staff)
    )
    return or_(
        and_(Pathway.caseworker_id == user, ~holder_away),
        and_(
            holder_away,
            ~_off(user, day),
            or_(
                and_(deputy_there, is_deputy),
                and_(~deputy_there, covers(user)),
                and_(~deputy_there, ~cover_there, supervisor),
            ),
        ),
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
