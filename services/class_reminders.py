"""Reminders follow the timetable (issue 14): each participant's class days of the next days
become appointments of their open pathway, so the pathway's own reminders (the evening before,
by SMS shortly before, quiet hours, consent, once) remind of them; a cancelled day, or a group's
day after someone left it, is cancelled in their pathway, and the pathway tells those who were
already reminded (patch "cancellation-notices").

Called after every change of the timetable or of a group's members, and daily for the window
that moves on (`follow_all`). Each appointment id comes from the class, the day and the person,
so asking again (a retry, a second run) makes no second appointment.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

import structlog
from pydantic import BaseModel

from db import appointments, groups
from db.group_tables import GroupMembership
from domain.appointments import AppointmentRequest
from domain.class_reminders import ClassAppointment, ids_on, wanted_and_unwanted, window
from domain.errors import DomainError
from domain.groups import Membership
from services import pathway_calls
from services.context import Services

log = structlog.get_logger(__name__)

# Updates sent at once to the pathways of a unit.
CONCURRENCY = 8


class FollowedTimetable(BaseModel):
    """What a run changed: appointments set and cancelled, and how many were refused."""

    scheduled: int = 0
    cancelled: int = 0
    refused: int = 0
    unsent: int = 0


async def follow_timetable(
    services: Services, unit_id: uuid.UUID, now: datetime | None = None
) -> FollowedTimetable:
    """Bring the unit's participants' class appointments in line with the timetable."""
    from services.timetable import planned  # the timetable calls this module after its changes

    now = now or datetime.now(UTC)
    first, last = window(now)
    async with services.sessions() as session:
        rows = await groups.classes_between(session, unit_id, first, last)
        members = _members(await groups.memberships(session, unit_id=unit_id))
        wanted, unwanted = wanted_and_unwanted([planned(r) for r in rows], members, now)
        people = {uuid.UUID(a.participant_id) for a in (*wanted, *unwanted)}
        pathways = await groups.open_pathways(session, sorted(people))
        ids = [uuid.UUID(a.appointment_id) for a in (*wanted, *unwanted)]
        known = await appointments.cancelled_by_id(session, ids)
    jobs: list[tuple[uuid.UUID, AppointmentRequest]] = []
    for item in wanted:
        pathway = pathways.get(uuid.UUID(item.participant_id))
        if pathway is not None and uuid.UUID(item.appointment_id) not in known:
            jobs.append((pathway, _schedule(item)))
    for item in unwanted:
        pathway = pathways.get(uuid.UUID(item.participant_id))
        # Whatever is not known cancelled: the read model is a moment behind the pathway, so an
        # appointment it lacks may be held; one never set is refused as unknown, and skipped.
        if pathway is not None and known.get(uuid.UUID(item.appointment_id)) is not True:
            jobs.append((pathway, _cancel(item)))
    return await _send(services, jobs)


async def class_day_ids(services: Services, unit_id: uuid.UUID, day: date) -> set[uuid.UUID]:
    """The ids of the unit's class-day appointments on a day (Today lists the others)."""
    from services.timetable import planned

    async with services.sessions() as session:
        rows = await groups.classes_between(session, unit_id, day, day)
        if not rows:
            return set()
        members = _members(await groups.memberships(session, unit_id=unit_id))
    return {uuid.UUID(i) for i in ids_on([planned(r) for r in rows], members, day)}


async def after_change(services: Services, unit_id: uuid.UUID) -> None:
    """Follow the timetable after a change; a failure (Temporal away) is logged, and the daily
    run (`pathways timetable remind`) catches up: the change itself is kept."""
    try:
        await follow_timetable(services, unit_id)
    except Exception as err:  # the change is committed; the daily run catches up
        log.warning("class_reminders_deferred", error=type(err).__name__)


async def follow_all(services: Services, now: datetime | None = None) -> FollowedTimetable:
    """Every unit's timetable, as the window moves on a day (run daily)."""
    async with services.sessions() as session:
        units = await groups.units_with_classes(session)
    total = FollowedTimetable()
    for unit_id in units:
        done = await follow_timetable(services, unit_id, now)
        total = FollowedTimetable(
            scheduled=total.scheduled + done.scheduled,
            cancelled=total.cancelled + done.cancelled,
            refused=total.refused + done.refused,
            unsent=total.unsent + done.unsent,
        )
    return total


def _members(held: list[GroupMembership]) -> list[Membership]:
    return [
        Membership(group_id=str(m.group_id), participant_id=str(m.participant_id),
                   joined_on=m.joined_on, left_on=m.left_on)
        for m in held
    ]  # fmt: skip


def _schedule(item: ClassAppointment) -> AppointmentRequest:
    return AppointmentRequest(
        op="schedule",
        appointment_id=item.appointment_id,
        starts_at=item.starts_at,
        kind=item.kind,
        place=item.place,
    )


def _cancel(item: ClassAppointment) -> AppointmentRequest:
    return AppointmentRequest(op="cancel", appointment_id=item.appointment_id)


async def _send(
    services: Services, jobs: list[tuple[uuid.UUID, AppointmentRequest]]
) -> FollowedTimetable:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(pathway_id: uuid.UUID, request: AppointmentRequest) -> str:
        async with gate:
            try:
                await pathway_calls.change_appointment(services.temporal, pathway_id, request)
            except DomainError as err:
                if request.op == "cancel" and err.code == "session_not_found":
                    return "absent"  # never set (a former member's later days): nothing to do
                # A closed pathway, a pathway without appointments, a class starting now.
                log.info("class_appointment_refused", op=request.op, code=err.code)
                return "refused"
            return request.op

    answers = await asyncio.gather(*(one(p, r) for p, r in jobs), return_exceptions=True)
    failed = [a for a in answers if isinstance(a, BaseException)]
    if failed:  # Temporal away or slow: the next run (after a change, or the daily one) retries
        log.warning("class_appointments_unsent", count=len(failed), error=type(failed[0]).__name__)
    outcomes = [a for a in answers if isinstance(a, str)]
    return FollowedTimetable(
        scheduled=outcomes.count("schedule"),
        cancelled=outcomes.count("cancel"),
        refused=outcomes.count("refused"),
        unsent=len(failed),
    )
