"""`GET /tasks` a page at a time: oldest first, then by the participant's name, with a keyset
that is not personal (the due date, the pathway's id and the deadline's kind)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, String, Uuid, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Participant, Pathway, PathwayDeadline
from db.tasks import TaskScope, _task, _tasks_query, holidays_for
from domain.errors import InvalidInput
from domain.tasks import Task, TaskDue


async def page_of_tasks(
    session: AsyncSession,
    scope: TaskScope,
    due: TaskDue,
    today: date,
    after: list[Any] | None,
    limit: int,
) -> tuple[list[Task], list[Any] | None]:
    """Up to `limit` tasks after the keys `after`; the keys the next page starts after (None on
    the last page)."""
    order = (
        PathwayDeadline.due_on,
        Participant.last_name,
        Participant.first_name,
        Pathway.id,
        PathwayDeadline.kind,
    )
    query = _tasks_query(scope, due, today).order_by(None).order_by(*order)
    if after:
        query = query.where(tuple_(*order) > tuple_(*_continuing(after)))
    rows = (await session.execute(query.limit(limit + 1))).all()
    page = rows[:limit]
    holidays = holidays_for(page[0].due_on, today) if page else frozenset()
    tasks = [_task(row, today, holidays) for row in page]
    last = page[-1] if len(rows) > limit else None
    keys = [last.due_on.isoformat(), str(last.pathway_id), last.kind] if last else None
    return tasks, keys


def _continuing(keys: list[Any]) -> list[Any]:
    """The full sort values of the row the keys name: its participant's name read again."""
    try:
        due_on, pathway_id, kind = date.fromisoformat(keys[0]), uuid.UUID(keys[1]), str(keys[2])
    except (ValueError, TypeError, IndexError) as err:
        raise InvalidInput("invalid_cursor", "The cursor is not one this API gave out.") from err
    person, pathway = aliased(Participant), aliased(Pathway)
    last, first = (
        select(column)
        .join(pathway, pathway.participant_id == person.id)
        .where(pathway.id == pathway_id)
        .scalar_subquery()
        for column in (person.last_name, person.first_name)
    )
    return [
        literal(due_on, Date),
        last,
        first,
        literal(pathway_id, Uuid),
        literal(kind, String),
    ]
