"""Classes of the timetable as participants' appointments, so that the pathway's reminders (the
evening before, by SMS shortly before, quiet hours, once) follow the timetable.

Pure: from the classes and the memberships it says which appointments each participant should
hold in the next days (a recurring class day by day) and which they should no longer hold (a
cancelled day, a day after they left the group). An appointment's id is derived from the class
the day and the person, so asking twice makes one appointment, and a cancellation finds it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from domain.appointments import AppointmentKind
from domain.calendar import WARSAW
from domain.groups import ActivityKind, Membership
from domain.reminder_policy import POLICY, ReminderPolicy
from domain.timetable import PlannedClass, by_group

_CLASS_DAY_IDS = uuid.UUID("0d7c1a52-3f0e-4b8e-9d41-6a2f4c1e0b14")


class ClassAppointment(BaseModel):
    """One class day as one participant's appointment (no title: reminders name only the kind)."""

    model_config = ConfigDict(frozen=True)

    participant_id: str
    appointment_id: str
    starts_at: datetime  # UTC
    kind: AppointmentKind
    place: str


def appointment_id(class_id: str, day: date, participant_id: str) -> str:
    """A participant's appointment of a class on a day, the same whenever it is asked (the read
    model keys appointments by id alone, so each person's has its own)."""
    return str(uuid.uuid5(_CLASS_DAY_IDS, f"{class_id}:{day.isoformat()}:{participant_id}"))


def window(now: datetime, policy: ReminderPolicy = POLICY) -> tuple[date, date]:
    """The days whose classes are appointments now: today (Warsaw) and `class_days_ahead` more."""
    today = now.astimezone(WARSAW).date()
    return today, today + timedelta(days=policy.class_days_ahead)


def wanted_and_unwanted(
    classes: Sequence[PlannedClass],
    memberships: Sequence[Membership],
    now: datetime,
    policy: ReminderPolicy = POLICY,
) -> tuple[list[ClassAppointment], list[ClassAppointment]]:
    """The class days participants should hold as appointments (starting after `now`), and
    those they should not: a cancelled day, or a group's day after they left it (or before they
    joined). Only days in the window."""
    first, last = window(now, policy)
    groups = by_group(memberships)
    wanted: list[ClassAppointment] = []
    unwanted: list[ClassAppointment] = []
    for c in classes:
        held = set(c.days_between(first, last))
        every = set(c.model_copy(update={"cancelled_days": ()}).days_between(first, last))
        for day in sorted(every):
            starts = datetime.combine(day, c.starts_at, tzinfo=WARSAW).astimezone(UTC)
            if starts <= now:
                continue
            for person, member in _people(c, groups, day):
                item = ClassAppointment(
                    participant_id=person,
                    appointment_id=appointment_id(c.id, day, person),
                    starts_at=starts,
                    kind=_kind(c.kind),
                    place=c.place,
                )
                (wanted if member and day in held else unwanted).append(item)
    return wanted, unwanted


def ids_on(
    classes: Sequence[PlannedClass], memberships: Sequence[Membership], day: date
) -> set[str]:
    """The ids of every class-day appointment a day may hold (to tell them from the
    appointments caseworkers set: the timetable shows classes, Today shows the latter)."""
    groups = by_group(memberships)
    plain = [c.model_copy(update={"cancelled_days": ()}) for c in classes]
    return {
        appointment_id(c.id, day, person)
        for c in plain
        if c.days_between(day, day)
        for person, _ in _people(c, groups, day)
    }


def _people(
    c: PlannedClass, groups: dict[str, list[Membership]], day: date
) -> list[tuple[str, bool]]:
    """Everyone the class may concern that day, and whether they attend it."""
    if c.participant_id is not None:
        return [(c.participant_id, True)]
    assert c.group_id is not None
    attends: dict[str, bool] = {}
    for m in groups.get(c.group_id, []):
        attends[m.participant_id] = attends.get(m.participant_id, False) or m.covers(day)
    return sorted(attends.items())


def _kind(kind: ActivityKind) -> AppointmentKind:
    # Reminders name the kind of meeting only; a consultation is an individual meeting.
    return (
        AppointmentKind.INDIVIDUAL
        if kind is ActivityKind.CONSULTATION
        else AppointmentKind.WORKSHOP
    )
