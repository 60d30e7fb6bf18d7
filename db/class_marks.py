"""The ledger of attendance lists, and the month's "who was here" read from it (issue 14)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.group_tables import ClassMark
from db.upsert import insert_ignoring


async def lock_list(session: AsyncSession, class_id: uuid.UUID, day: date) -> None:
    """Wait for, then hold until the transaction ends, the right to send a class's list of a
    day: on PostgreSQL a transaction-level advisory lock (every API process waits on it, and a
    process that dies lets go with its connection). SQLite has no such lock: its one process
    serialises the lists itself (services/group_attendance.py)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"class-list:{class_id}:{day.isoformat()}".encode(), digest_size=8)
    key = int.from_bytes(digest.digest(), "big", signed=True)
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def write_marks(session: AsyncSession, rows: list[dict[str, object]]) -> None:
    """Add marks; a mark already written for its (class, day, person, correction) stays."""
    if rows:
        keys = ["class_id", "day", "participant_id", "correction"]
        await session.execute(insert_ignoring(session, ClassMark, keys), rows)


async def already_marked(
    session: AsyncSession, class_id: uuid.UUID, day: date, correction: int
) -> set[uuid.UUID]:
    """Who already has a mark on this class's list of the day, with this correction."""
    query = select(ClassMark.participant_id).where(
        ClassMark.class_id == class_id, ClassMark.day == day, ClassMark.correction == correction
    )
    return set((await session.execute(query)).scalars())


async def max_correction(session: AsyncSession, class_id: uuid.UUID, day: date) -> int | None:
    """The latest correction number of a class's list of the day (None: no list yet)."""
    query = select(func.max(ClassMark.correction)).where(
        ClassMark.class_id == class_id, ClassMark.day == day
    )
    found: int | None = (await session.execute(query)).scalar_one_or_none()
    return found


async def lists_sent(
    session: AsyncSession, class_ids: list[uuid.UUID], day: date
) -> dict[uuid.UUID, tuple[int, int]]:
    """Of each class whose list of the day was sent: its latest correction and how many people
    have a mark on it (classes without a list are left out)."""
    if not class_ids:
        return {}
    query = (
        select(ClassMark.class_id, func.max(ClassMark.correction),
               func.count(func.distinct(ClassMark.participant_id)))
        .where(ClassMark.class_id.in_(class_ids), ClassMark.day == day)
        .group_by(ClassMark.class_id)
    )  # fmt: skip
    return {row[0]: (int(row[1]), int(row[2])) for row in await session.execute(query)}


def _latest(unit_id: uuid.UUID, first: date, last: date, *columns: Any):  # type: ignore[no-untyped-def]
    newest = (
        select(
            ClassMark.class_id, ClassMark.day, ClassMark.participant_id,
            func.max(ClassMark.correction).label("correction"),
        )
        .where(ClassMark.unit_id == unit_id, ClassMark.day >= first, ClassMark.day <= last)
        .group_by(ClassMark.class_id, ClassMark.day, ClassMark.participant_id)
        .subquery()
    )  # fmt: skip
    return select(*(columns or (ClassMark,))).join(
        newest,
        (ClassMark.class_id == newest.c.class_id)
        & (ClassMark.day == newest.c.day)
        & (ClassMark.participant_id == newest.c.participant_id)
        & (ClassMark.correction == newest.c.correction),
    )


async def latest_marks(
    session: AsyncSession,
    unit_id: uuid.UUID,
    first: date,
    last: date,
    class_ids: list[uuid.UUID] | None = None,
    participant_id: uuid.UUID | None = None,
) -> list[ClassMark]:
    """The standing mark (the latest correction) of each person, class and day in a stretch."""
    query = _latest(unit_id, first, last)
    if class_ids is not None:
        query = query.where(ClassMark.class_id.in_(class_ids))
    if participant_id is not None:
        query = query.where(ClassMark.participant_id == participant_id)
    order = (ClassMark.day, ClassMark.participant_id, ClassMark.class_id)
    return list((await session.execute(query.order_by(*order))).scalars())


async def hours_present(
    session: AsyncSession, unit_id: uuid.UUID, first: date, last: date
) -> dict[uuid.UUID, Decimal]:
    """Each person's hours present in a stretch, by the standing marks."""
    rows = await latest_marks(session, unit_id, first, last)
    total: dict[uuid.UUID, Decimal] = {}
    for row in rows:
        if row.mark == "present" and row.hours is not None:
            total[row.participant_id] = total.get(row.participant_id, Decimal(0)) + row.hours
    return total


async def standing_rows(
    session: AsyncSession, unit_id: uuid.UUID, first: date, last: date
) -> list[tuple[uuid.UUID, date, uuid.UUID, str, Decimal | None, str | None]]:
    """The standing marks of a stretch as plain rows (person, day, class, mark, hours,
    absence): the month's "who was here" without building an object per row."""
    columns = (ClassMark.participant_id, ClassMark.day, ClassMark.class_id, ClassMark.mark,
               ClassMark.hours, ClassMark.absence)  # fmt: skip
    query = _latest(unit_id, first, last, *columns).order_by(
        ClassMark.day, ClassMark.participant_id, ClassMark.class_id
    )
    return [tuple(row) for row in await session.execute(query)]
