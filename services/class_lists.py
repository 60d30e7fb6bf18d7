"""What the instructor's pages show: "my classes today" (the classes they give or of the groups
they lead, each with whether its list was sent), and the attendance form of a class that day
(who is expected, names only, their standing marks and the next correction number)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from pydantic import BaseModel

from db import class_marks, groups
from domain.calendar import local_date
from domain.centre_views import Mark, MyClassOut
from domain.errors import InvalidInput
from domain.groups import Membership
from domain.timetable import ClassDay, attendees, by_group, class_days, in_range
from services.context import Caller, Services
from services.timetable import own_class, planned, taught_by, visible_days


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


class MyClass(BaseModel):
    """One of the caller's classes of the day, and how far its list is."""

    held: ClassDay
    group_name: str | None  # None: an individual class
    expected: int  # people expected that day
    marked: int  # people with a mark on the list (0: not sent)
    correction: int | None  # the latest list's correction number; None: no list sent


async def my_classes(services: Services, caller: Caller, day: date) -> list[MyClass]:
    """The classes held on `day` that the caller gives or whose group they lead, by hour."""
    async with services.sessions() as session:
        led = {g.id for g in await groups.groups_of_unit(session, caller.unit_id, caller.id)}
        mine = [
            d for d in await visible_days(session, caller, day, day)
            if d.staff_id == str(caller.id) or (d.group_id and uuid.UUID(d.group_id) in led)
        ]  # fmt: skip
        group_ids = sorted({uuid.UUID(d.group_id) for d in mine if d.group_id})
        members = await groups.memberships(session, group_ids) if group_ids else []
        names = {g.id: g.name for g in await groups.groups_of_unit(session, caller.unit_id)
                 if g.id in group_ids}  # fmt: skip
        sent = await class_marks.lists_sent(session, [uuid.UUID(d.class_id) for d in mine], day)
    index = by_group(
        Membership(group_id=str(m.group_id), participant_id=str(m.participant_id),
                   joined_on=m.joined_on, left_on=m.left_on)
        for m in members
    )  # fmt: skip
    found = []
    for d in mine:
        correction, marked = sent.get(uuid.UUID(d.class_id), (None, 0))
        found.append(
            MyClass(
                held=d, group_name=names.get(uuid.UUID(d.group_id)) if d.group_id else None,
                expected=len(attendees(d, index)), marked=marked, correction=correction,
            )
        )  # fmt: skip
    return found


async def my_classes_out(
    services: Services, caller: Caller, day: date | None = None
) -> list[MyClassOut]:
    """The API's "my classes": the caller's classes of `day` (today in Poland unless asked)."""
    shown = day or local_date(datetime.now(UTC))
    in_range(shown, shown)
    return [
        MyClassOut(
            class_id=uuid.UUID(c.held.class_id), day=c.held.day, starts_at=c.held.starts_at,
            ends_at=c.held.ends_at, hours=c.held.hours, kind=c.held.kind, title=c.held.title,
            place=c.held.place, group_id=uuid.UUID(c.held.group_id) if c.held.group_id else None,
            group_name=c.group_name, expected=c.expected, marked=c.marked,
            list_sent=c.correction is not None, correction=c.correction,
        )
        for c in await my_classes(services, caller, shown)
    ]  # fmt: skip
