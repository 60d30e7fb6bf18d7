"""A unit's groups and their memberships, and the programme's classes (issue 14)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.group_tables import CertifiedHours, Group, GroupMembership, PlannedClassRow
from db.models import Participant, Pathway, User
from domain.errors import NotFound


async def group_in_unit(session: AsyncSession, unit_id: uuid.UUID, group_id: uuid.UUID) -> Group:
    """A group of the unit, or 404 as if unknown."""
    query = select(Group).where(Group.id == group_id, Group.unit_id == unit_id)
    group = (await session.execute(query)).scalar_one_or_none()
    if group is None:
        raise NotFound("group_not_found", "No such group.")
    return group


async def groups_of_unit(
    session: AsyncSession, unit_id: uuid.UUID, instructor_id: uuid.UUID | None = None
) -> list[Group]:
    """The unit's groups by name (an instructor's only, when given)."""
    query = select(Group).where(Group.unit_id == unit_id)
    if instructor_id is not None:
        query = query.where(Group.instructor_id == instructor_id)
    return list((await session.execute(query.order_by(Group.name, Group.id))).scalars())


async def staff_in_unit(session: AsyncSession, unit_id: uuid.UUID, user_id: uuid.UUID) -> None:
    """Refuse a staff member of another unit (404 as if unknown)."""
    query = select(User.id).where(User.id == user_id, User.unit_id == unit_id)
    if (await session.execute(query)).scalar_one_or_none() is None:
        raise NotFound("staff_not_found", "No such member of staff.")


async def memberships(
    session: AsyncSession,
    group_ids: Sequence[uuid.UUID] | None = None,
    participant_id: uuid.UUID | None = None,
    unit_id: uuid.UUID | None = None,
) -> list[GroupMembership]:
    """Memberships of some groups, of one person, or of a unit's groups."""
    query = select(GroupMembership)
    if group_ids is not None:
        query = query.where(GroupMembership.group_id.in_(group_ids))
    if participant_id is not None:
        query = query.where(GroupMembership.participant_id == participant_id)
    if unit_id is not None:
        query = query.join(Group, Group.id == GroupMembership.group_id).where(
            Group.unit_id == unit_id
        )
    order = (GroupMembership.participant_id, GroupMembership.joined_on)
    return list((await session.execute(query.order_by(*order))).scalars())


async def names_of(
    session: AsyncSession, participant_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, str]]:
    """First and last names of some participants (what instructors may see of them)."""
    if not participant_ids:
        return {}
    query = select(Participant.id, Participant.first_name, Participant.last_name).where(
        Participant.id.in_(participant_ids)
    )
    return {row[0]: (row[1], row[2]) for row in await session.execute(query)}


async def classes_between(
    session: AsyncSession, unit_id: uuid.UUID, first: date, last: date
) -> list[PlannedClassRow]:
    """The unit's classes that may be held from `first` to `last`."""
    query = select(PlannedClassRow).where(
        PlannedClassRow.unit_id == unit_id,
        or_(
            and_(PlannedClassRow.on >= first, PlannedClassRow.on <= last),
            and_(PlannedClassRow.first_day <= last, PlannedClassRow.last_day >= first),
        ),
    )
    return list((await session.execute(query.order_by(PlannedClassRow.id))).scalars())


async def class_in_unit(
    session: AsyncSession, unit_id: uuid.UUID, class_id: uuid.UUID
) -> PlannedClassRow:
    """A class of the unit, or 404 as if unknown."""
    query = select(PlannedClassRow).where(
        PlannedClassRow.id == class_id, PlannedClassRow.unit_id == unit_id
    )
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        raise NotFound("class_not_found", "No such class.")
    return found


async def in_centre(
    session: AsyncSession, participant_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, str, date, bool, float | None]]:
    """Each person's current pathway: programme, start, whether it is open; certified hours."""
    if not participant_ids:
        return []
    latest = (
        select(Pathway.participant_id, Pathway.programme, Pathway.started_on,
               Pathway.closed_at.is_(None), CertifiedHours.weekly_hours)
        .outerjoin(CertifiedHours, CertifiedHours.participant_id == Pathway.participant_id)
        .where(Pathway.participant_id.in_(participant_ids))
        .order_by(Pathway.participant_id, Pathway.created_at)
    )  # fmt: skip
    rows: dict[uuid.UUID, tuple[uuid.UUID, str, date, bool, float | None]] = {}
    for row in await session.execute(latest):
        hours = float(row[4]) if row[4] is not None else None
        rows[row[0]] = (row[0], row[1], row[2], bool(row[3]), hours)
    return list(rows.values())


async def open_pathways(
    session: AsyncSession, participant_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Each person's open pathway id (those with none are left out)."""
    if not participant_ids:
        return {}
    query = select(Pathway.participant_id, Pathway.id).where(
        Pathway.participant_id.in_(participant_ids), Pathway.closed_at.is_(None)
    )
    return {row[0]: row[1] for row in await session.execute(query)}


async def units_with_classes(session: AsyncSession) -> list[uuid.UUID]:
    """The units that have planned any class (whose reminders follow the timetable)."""
    query = select(PlannedClassRow.unit_id).distinct()
    return list((await session.execute(query)).scalars())


async def staff_names(
    session: AsyncSession, unit_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The usernames of some of the unit's staff (the timetable names who gives a class)."""
    if not user_ids:
        return {}
    query = select(User.id, User.username).where(User.id.in_(user_ids), User.unit_id == unit_id)
    return {row[0]: row[1] for row in await session.execute(query)}
