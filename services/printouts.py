"""The month's printouts people sign: a group's attendance list, a participant's timesheet.

Both are built from the lists' ledger (the standing mark of each person, class and day: the
latest correction), in the unit's name, and audited as exports of names.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from db import audit, class_marks, groups, participants
from db.group_tables import ClassMark
from db.models import Unit
from db.session import unit_of_work
from documents.attendance_sheets import DayMark, group_month_list, timesheet
from documents.pdf import render
from domain.calendar import local_date
from domain.errors import NotFound
from domain.roles import Role
from domain.timetable import month_bounds
from services.context import Caller, Services


def _mark(row: ClassMark, title: str = "") -> DayMark:
    return DayMark(day=row.day, mark=row.mark, hours=row.hours, absence=row.absence, title=title)


async def group_list_pdf(
    services: Services, caller: Caller, group_id: uuid.UUID, year: int, month: int
) -> bytes:
    """The group's attendance list of a month as PDF: its members then, their marks, totals."""
    first, last = month_bounds(year, month)
    async with unit_of_work(services.sessions) as session:
        group = await groups.group_in_unit(session, caller.unit_id, group_id)
        if caller.role is Role.INSTRUCTOR and group.instructor_id != caller.id:
            raise NotFound("group_not_found", "No such group.")
        unit = await session.get(Unit, caller.unit_id)
        assert unit is not None
        stretches = [
            m for m in await groups.memberships(session, [group_id])
            if m.joined_on <= last and (m.left_on is None or m.left_on > first)
        ]  # fmt: skip
        ids = sorted({m.participant_id for m in stretches})
        names = await groups.names_of(session, ids)
        classes = [c.id for c in await groups.classes_between(session, caller.unit_id, first, last)
                   if c.group_id == group_id]  # fmt: skip
        rows = await class_marks.latest_marks(session, caller.unit_id, first, last, classes)
        await audit.append(session, caller.actor, "group.attendance_list", ["names", "marks"])
    marks: dict[str, list[DayMark]] = {}
    for row in rows:
        marks.setdefault(str(row.participant_id), []).append(_mark(row))
    people = sorted(
        ((str(pid), f"{names[pid][0]} {names[pid][1]}") for pid in ids),
        key=lambda p: (names[uuid.UUID(p[0])][1], names[uuid.UUID(p[0])][0]),
    )
    today = local_date(datetime.now(UTC))
    return render(group_month_list(unit.name, group.name, year, month, people, marks, today))


async def timesheet_pdf(
    services: Services, caller: Caller, participant_id: uuid.UUID, year: int, month: int
) -> bytes:
    """A participant's timesheet of a month as PDF."""
    first, last = month_bounds(year, month)
    async with unit_of_work(services.sessions) as session:
        person = await participants.participant_in_unit(
            session, caller.unit_id, participant_id, caller.caseload_of
        )
        unit = await session.get(Unit, caller.unit_id)
        assert unit is not None
        rows = await class_marks.latest_marks(
            session, caller.unit_id, first, last, participant_id=participant_id
        )
        titles = {c.id: c.title for c in await groups.classes_between(
            session, caller.unit_id, first, last)}  # fmt: skip
        await audit.append(
            session, caller.actor, "participant.timesheet", ["marks"], participant_id
        )
    name = f"{person.first_name} {person.last_name}"
    today = local_date(datetime.now(UTC))
    marks = [_mark(r, titles.get(r.class_id, "")) for r in rows]
    return render(timesheet(unit.name, name, year, month, marks, today))
