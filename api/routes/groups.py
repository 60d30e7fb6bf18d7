"""A centre's week: groups and their members, the programme's classes and the timetable."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import Casework, ServicesDep, require
from domain.centre_views import (
    CancelIn,
    CertifiedHoursIn,
    ClassIn,
    ClassOut,
    GroupIn,
    GroupOut,
    InstructorIn,
    JoinIn,
    LeaveIn,
    MyClassOut,
    Timetable,
)
from domain.roles import TEACHING_ROLES
from services import class_lists, groups, timetable
from services.context import Caller

router = APIRouter(tags=["groups"])
# Caseworkers and the head, and instructors (who reach only their own groups and classes).
Teaching = Annotated[Caller, require(*TEACHING_ROLES)]
MONTH = Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", examples=["2027-02"])


@router.post("/groups", status_code=status.HTTP_201_CREATED)
async def create_group(body: GroupIn, services: ServicesDep, caller: Casework) -> GroupOut:
    """A new group of the caller's unit (a workshop group, a cohort)."""
    return await groups.create_group(services, caller, body)


@router.get("/groups")
async def list_groups(services: ServicesDep, caller: Teaching) -> list[GroupOut]:
    """The unit's groups."""
    return await groups.list_groups(services, caller)


@router.get("/groups/{group_id}")
async def get_group(group_id: uuid.UUID, services: ServicesDep, caller: Teaching) -> GroupOut:
    """A group with its members over time."""
    return await groups.look(services, caller, group_id)


@router.put("/groups/{group_id}/instructor")
async def set_instructor(
    group_id: uuid.UUID, body: InstructorIn, services: ServicesDep, caller: Casework
) -> GroupOut:
    """Name the member of staff who leads the group (an instructor sees only their groups)."""
    return await groups.set_instructor(services, caller, group_id, body)


@router.post("/groups/{group_id}/members")
async def join_group(
    group_id: uuid.UUID, body: JoinIn, services: ServicesDep, caller: Casework
) -> GroupOut:
    """A participant joins the group from a day on."""
    return await groups.join(services, caller, group_id, body)


@router.post("/groups/{group_id}/members/{participant_id}/leave")
async def leave_group(
    group_id: uuid.UUID,
    participant_id: uuid.UUID,
    body: LeaveIn,
    services: ServicesDep,
    caller: Casework,
) -> GroupOut:
    """A member leaves from a day on (the first day outside), or moves to `to_group`."""
    return await groups.leave(services, caller, group_id, participant_id, body)


@router.put("/participants/{participant_id}/certified-hours")
async def certified_hours(
    participant_id: uuid.UUID, body: CertifiedHoursIn, services: ServicesDep, caller: Casework
) -> CertifiedHoursIn:
    """A disabled participant's lower weekly figure from the certificate (art. 14)."""
    return await groups.set_certified_hours(services, caller, participant_id, body)


@router.post("/classes", status_code=status.HTTP_201_CREATED)
async def plan_class(body: ClassIn, services: ServicesDep, caller: Casework) -> ClassOut:
    """Plan a class of the monthly programme: for a group or a person, once or weekly."""
    return await timetable.add_class(services, caller, body)


@router.post("/classes/{class_id}/cancel")
async def cancel_class_day(
    class_id: uuid.UUID, body: CancelIn, services: ServicesDep, caller: Casework
) -> ClassOut:
    """Call off one day of a class."""
    return await timetable.cancel_day(services, caller, class_id, body)


@router.get("/timetable")
async def get_timetable(
    services: ServicesDep,
    caller: Teaching,
    first: date,
    last: date,
    group_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
) -> Timetable:
    """The classes held from `first` to `last` (62 days at most), by group, staff or room."""
    return await timetable.timetable(services, caller, first, last, group_id, staff_id, place)


@router.get("/timetable/check")
async def check_month(
    services: ServicesDep, caller: Casework, month: Annotated[str, MONTH]
) -> Timetable:
    """The month's programme checked before it starts: each CIS participant's weeks against
    30-40 hours (a certificate's lower figure), and the clashes of people, staff and rooms."""
    year, number = (int(part) for part in month.split("-"))
    return await timetable.month(services, caller, year, number)


@router.get("/me/classes")
async def my_classes(
    services: ServicesDep, caller: Teaching, day: Annotated[date | None, Query(alias="date")] = None
) -> list[MyClassOut]:
    """My classes of a day (today in Poland unless `date` says): the ones I give or of the groups
    I lead, by hour, each with its planned hours, room, group and whether its list was sent."""
    return await class_lists.my_classes_out(services, caller, day)
