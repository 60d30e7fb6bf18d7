"""What the instructor's attendance form shows: the class that day, who is expected (names
only), their standing marks and the next correction number."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel

from db import class_marks, groups
from domain.centre_views import Mark
from domain.errors import InvalidInput
from domain.groups import Membership
from domain.timetable import ClassDay, attendees, by_group, class_days
from services.context import Caller, Services
from services.timetable import own_class, planned, taught_by


class SheetLine(BaseModel):
    """One expected person: their name and their standing mark, if any."""

    participant_id: uuid.UUID
    name: str
    mark: Mark | None = None
    hours: str | None = None
    absence: str | None = None


class Sheet(BaseModel):
    """A class's list for one day, as the form shows it."""

    held: ClassDay
    lines: list[SheetLine]
    next_correction: int  # 0 for the first list, else one more than the latest


async def sheet(services: Services, caller: Caller, class_id: uuid.UUID, day: date) -> Sheet:
    """The class's list for `day`: expected people by name with their standing marks."""
    async with services.sessions() as session:
        row = await groups.class_in_unit(session, caller.unit_id, class_id)
        own_class(caller, row, await taught_by(session, caller))
        held = class_days([planned(row)], day, day)
        if not held:
            raise InvalidInput("not_a_class_day", "The class is not held on that day.")
        members = await groups.memberships(session, [row.group_id]) if row.group_id else []
        expected = attendees(
            held[0],
            by_group(
                Membership(group_id=str(m.group_id), participant_id=str(m.participant_id),
                           joined_on=m.joined_on, left_on=m.left_on)
                for m in members
            ),
        )  # fmt: skip
        ids = [uuid.UUID(p) for p in expected]
        names = await groups.names_of(session, ids)
        standing = await class_marks.latest_marks(session, caller.unit_id, day, day, [class_id])
        done = await class_marks.max_correction(session, class_id, day)
    marks = {m.participant_id: m for m in standing}
    lines = []
    for pid in sorted(ids, key=lambda p: (names[p][1], names[p][0])):
        m = marks.get(pid)
        lines.append(
            SheetLine(
                participant_id=pid, name=f"{names[pid][0]} {names[pid][1]}",
                mark=Mark(m.mark) if m else None,
                hours=str(m.hours) if m and m.hours is not None else None,
                absence=m.absence if m else None,
            )
        )  # fmt: skip
    return Sheet(held=held[0], lines=lines, next_correction=0 if done is None else done + 1)
