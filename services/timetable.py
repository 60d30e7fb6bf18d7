"""The monthly programme: plan a class, call a day off, the week's timetable, the month's check."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, groups, participants
from db.group_tables import PlannedClassRow
from db.session import unit_of_work
from domain.centre_views import CancelIn, ClassIn, ClassOut, Timetable
from domain.errors import InvalidInput, NotFound
from domain.groups import ActivityKind, Membership
from domain.month_check import PersonInCentre, check_month
from domain.roles import Role
from domain.timetable import (
    EARLIEST,
    LATEST,
    ClassDay,
    PlannedClass,
    class_days,
    in_range,
    month_bounds,
)
from services import class_reminders
from services.context import Caller, Services

MAX_DAYS = 62


async def taught_by(session: AsyncSession, caller: Caller) -> set[uuid.UUID] | None:
    """The groups an instructor teaches; None for staff who see the whole unit."""
    if caller.role is not Role.INSTRUCTOR:
        return None
    return {g.id for g in await groups.groups_of_unit(session, caller.unit_id, caller.id)}


def own_class(caller: Caller, row: PlannedClassRow, taught: set[uuid.UUID] | None) -> None:
    """Refuse an instructor a class that is neither their group's nor theirs (404)."""
    if taught is not None and row.group_id not in taught and row.staff_id != caller.id:
        raise NotFound("class_not_found", "No such class.")


def planned(row: PlannedClassRow) -> PlannedClass:
    """A stored class as the domain plans with it."""
    return PlannedClass(
        id=str(row.id), kind=ActivityKind(row.kind), title=row.title, place=row.place,
        staff_id=str(row.staff_id) if row.staff_id else None,
        group_id=str(row.group_id) if row.group_id else None,
        participant_id=str(row.participant_id) if row.participant_id else None,
        starts_at=row.starts_at, hours=Decimal(row.hours), on=row.on, weekday=row.weekday,
        first_day=row.first_day, last_day=row.last_day,
        cancelled_days=tuple(date.fromisoformat(d) for d in row.cancelled_days or ()),
    )  # fmt: skip


def class_out(row: PlannedClassRow) -> ClassOut:
    """A stored class as the API answers it."""
    plan = planned(row)
    return ClassOut.model_validate(
        {**plan.model_dump(exclude={"id", "cancelled_days"}), "id": row.id,
         "cancelled_days": list(plan.cancelled_days)}
    )  # fmt: skip


async def add_class(services: Services, caller: Caller, body: ClassIn) -> ClassOut:
    """Plan a class for a group or a person of the unit, once or weekly."""
    try:
        PlannedClass.model_validate({**body.model_dump(mode="json"), "id": "new"})
    except ValidationError as err:
        message = "; ".join(e["msg"] for e in err.errors())
        raise InvalidInput("invalid_class", f"The class cannot be planned: {message}.") from None
    async with unit_of_work(services.sessions) as session:
        if body.group_id is not None:
            await groups.group_in_unit(session, caller.unit_id, body.group_id)
        if body.participant_id is not None:
            await participants.participant_in_unit(
                session, caller.unit_id, body.participant_id, caller.caseload_of
            )
        if body.staff_id is not None:
            await groups.staff_in_unit(session, caller.unit_id, body.staff_id)
        row = PlannedClassRow(
            id=uuid.uuid4(), unit_id=caller.unit_id, cancelled_days=[], **body.model_dump()
        )
        session.add(row)
        await session.flush()
        await audit.append(session, caller.actor, "class.plan", sorted(body.model_fields_set))
        out = class_out(row)
    await class_reminders.after_change(services, caller.unit_id)
    return out


async def cancel_day(
    services: Services, caller: Caller, class_id: uuid.UUID, body: CancelIn
) -> ClassOut:
    """Call off one day of a class (the day must be one it is held on)."""
    async with unit_of_work(services.sessions) as session:
        row = await groups.class_in_unit(session, caller.unit_id, class_id)
        if body.day not in planned(row).days_between(body.day, body.day):
            raise InvalidInput("not_a_class_day", "The class is not held on that day.")
        row.cancelled_days = sorted({*(row.cancelled_days or []), body.day.isoformat()})
        await audit.append(session, caller.actor, "class.cancel", ["day"])
        out = class_out(row)
    await class_reminders.after_change(services, caller.unit_id)  # those told are told
    return out


async def _plan(
    session: AsyncSession, unit_id: uuid.UUID, first: date, last: date
) -> tuple[list[PlannedClass], list[Membership]]:
    rows = await groups.classes_between(session, unit_id, first, last)
    held = await groups.memberships(session, unit_id=unit_id)
    members = [
        Membership(group_id=str(m.group_id), participant_id=str(m.participant_id),
                   joined_on=m.joined_on, left_on=m.left_on)
        for m in held
    ]  # fmt: skip
    return [planned(r) for r in rows], members


async def timetable(
    services: Services,
    caller: Caller,
    first: date,
    last: date,
    group_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
    place: str | None = None,
) -> Timetable:
    """The classes held from `first` to `last`, of one group, staff member or room if asked."""
    _check_period(first, last)
    async with services.sessions() as session:
        held = await visible_days(session, caller, first, last)
    return Timetable(first=first, last=last, days=_only(held, group_id, staff_id, place))


def _check_period(first: date, last: date) -> None:
    if last < first or (last - first).days > MAX_DAYS:
        raise InvalidInput("invalid_period", f"Ask for {MAX_DAYS} days at most, first to last.")
    in_range(first, last)


async def visible_days(
    session: AsyncSession, caller: Caller, first: date, last: date
) -> list[ClassDay]:
    """The classes held from `first` to `last` that the caller sees (an instructor: their
    groups' and their own)."""
    classes, _ = await _plan(session, caller.unit_id, first, last)
    taught = await taught_by(session, caller)
    if taught is not None:
        mine = {str(g) for g in taught}
        classes = [c for c in classes if c.group_id in mine or c.staff_id == str(caller.id)]
    return class_days(classes, first, last)


class StaffChoice(BaseModel):
    """A member of staff who gives classes, as the week's picker names them."""

    id: uuid.UUID
    name: str


class WeekView(Timetable):
    """The week's classes as asked, and what the pickers offer: who gives classes and the rooms
    they are held in (of all the programme's classes the caller sees, whatever the week)."""

    staff: list[StaffChoice]
    places: list[str]


async def week_view(
    services: Services,
    caller: Caller,
    first: date,
    last: date,
    group_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
    place: str | None = None,
) -> WeekView:
    """The timetable of a week (by group, staff member or room) with the pickers' choices."""
    _check_period(first, last)
    async with services.sessions() as session:
        held = await visible_days(session, caller, first, last)
        rows = await groups.classes_between(session, caller.unit_id, EARLIEST, LATEST)
        taught = await taught_by(session, caller)
        if taught is not None:
            rows = [r for r in rows if r.group_id in taught or r.staff_id == caller.id]
        givers = sorted({r.staff_id for r in rows if r.staff_id is not None})
        names = await groups.staff_names(session, caller.unit_id, givers)
    places: dict[str, str] = {}
    for r in rows:  # one spelling per room, as the filter compares them
        places.setdefault(r.place.strip().casefold(), r.place.strip())
    return WeekView(
        first=first, last=last, days=_only(held, group_id, staff_id, place),
        staff=sorted((StaffChoice(id=k, name=v) for k, v in names.items()),
                     key=lambda s: (s.name.casefold(), s.id)),
        places=sorted(places.values(), key=str.casefold),
    )  # fmt: skip


def _only(
    days: list[ClassDay], group_id: uuid.UUID | None, staff_id: uuid.UUID | None, place: str | None
) -> list[ClassDay]:
    if group_id is not None:
        days = [d for d in days if d.group_id == str(group_id)]
    if staff_id is not None:
        days = [d for d in days if d.staff_id == str(staff_id)]
    if place is not None:
        days = [d for d in days if d.place.strip().casefold() == place.strip().casefold()]
    return days


async def month(services: Services, caller: Caller, year: int, month_no: int) -> Timetable:
    """The month's programme with its check: each CIS participant's weeks, and the clashes."""
    first, last = month_bounds(year, month_no)
    in_range(first, last)
    async with services.sessions() as session:
        classes, members = await _plan(session, caller.unit_id, first, last)
        people_ids = {uuid.UUID(m.participant_id) for m in members}
        people_ids |= {uuid.UUID(c.participant_id) for c in classes if c.participant_id}
        found = await groups.in_centre(session, sorted(people_ids))
    people = [
        PersonInCentre(
            participant_id=str(pid), cis=programme == "cis", in_centre_from=started,
            certified_weekly_hours=Decimal(str(hours)) if hours is not None else None,
        )
        for pid, programme, started, is_open, hours in found
        if is_open
    ]  # fmt: skip
    check = check_month(classes, members, people, year, month_no)
    return Timetable(first=first, last=last, days=class_days(classes, first, last), check=check)
