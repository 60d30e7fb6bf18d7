"""What the centre's week takes and answers: groups, members, classes, lists, PSU (issue 14)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.actions import AbsenceKind, AttendanceKind
from domain.groups import GROUP_NAME_MAX, ActivityKind
from domain.month_check import MonthCheck
from domain.psu import HOST_NAME_MAX, PsuRegime
from domain.timetable import ClassDay, WallClock

Hours = Annotated[Decimal, Field(gt=0, le=12, max_digits=4, decimal_places=2)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GroupIn(_In):
    """A new group."""

    name: str = Field(min_length=1, max_length=GROUP_NAME_MAX)
    kind: ActivityKind = ActivityKind.WORKSHOP
    instructor_id: uuid.UUID | None = None


class MemberOut(BaseModel):
    """A member's stretch in the group, with the name staff call them by."""

    participant_id: uuid.UUID
    first_name: str
    last_name: str
    joined_on: date
    left_on: date | None


class GroupOut(BaseModel):
    """A group and its members (current and past stretches)."""

    id: uuid.UUID
    name: str
    kind: ActivityKind
    instructor_id: uuid.UUID | None
    members: list[MemberOut] = []


class InstructorIn(_In):
    """Who leads the group (None: nobody)."""

    instructor_id: uuid.UUID | None


class JoinIn(_In):
    """A person joins the group on a day."""

    participant_id: uuid.UUID
    on: date


class LeaveIn(_In):
    """A member leaves (the day is the first outside the group), or moves to another group."""

    on: date
    to_group: uuid.UUID | None = None


class ClassIn(_In):
    """A class of the programme, for a group or one person; one-off (`on`) or weekly."""

    kind: ActivityKind
    title: str = Field(min_length=1, max_length=200)
    place: str = Field(min_length=1, max_length=200)
    staff_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = None
    starts_at: WallClock
    hours: Hours
    on: date | None = None
    weekday: int | None = Field(default=None, ge=0, le=6)
    first_day: date | None = None
    last_day: date | None = None


class ClassOut(ClassIn):
    """A class as planned, with its id and the days it was called off."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: uuid.UUID
    cancelled_days: list[date] = []


class CancelIn(_In):
    """One day of a class called off."""

    day: date


class Timetable(BaseModel):
    """A stretch of the programme: the classes held, by day and hour, and the month's check."""

    first: date
    last: date
    days: list[ClassDay]
    check: MonthCheck | None = None


class MyClassOut(BaseModel):
    """One of the caller's classes of a day ("my classes today"), and whether its list was sent."""

    class_id: uuid.UUID
    day: date
    starts_at: WallClock
    ends_at: WallClock
    hours: Decimal = Field(description="The planned hours.")
    kind: ActivityKind
    title: str
    place: str = Field(description="The room or place.")
    group_id: uuid.UUID | None = Field(description="None: an individual class.")
    group_name: str | None
    expected: int = Field(description="People expected that day.")
    marked: int = Field(description="People with a mark on the latest list sent (0: none).")
    list_sent: bool
    correction: int | None = Field(description="The latest list's correction number.")


class CertifiedHoursIn(_In):
    """A disabled participant's lower weekly figure, as the certificate says (art. 14)."""

    weekly_hours: Decimal = Field(gt=0, le=40, max_digits=3, decimal_places=1)


class Mark(StrEnum):
    """What the instructor ticks for a member."""

    PRESENT = "present"
    ABSENT = "absent"
    DAY_OFF = "day_off"


class MarkIn(_In):
    """One member's mark: present with hours, absent with its kind, or a day off."""

    participant_id: uuid.UUID
    mark: Mark
    hours: Hours | None = None
    absence: AbsenceKind | None = None

    @model_validator(mode="after")
    def _fields_of_the_mark(self) -> MarkIn:
        if (self.mark is Mark.PRESENT) != (self.hours is not None):
            raise ValueError("hours go with a presence, and only with it")
        if (self.mark is Mark.ABSENT) != (self.absence is not None):
            raise ValueError("an absence needs its kind, and only an absence has one")
        return self


class AttendanceListIn(_In):
    """A class's attendance list for one day; `correction` 0 is the first, 1.. corrections."""

    day: date
    correction: int = Field(default=0, ge=0, le=99)
    marks: list[MarkIn] = Field(min_length=1, max_length=200)
    # Why a correction changes the list: each changed day's `correct_day` step keeps it.
    reason: str | None = Field(default=None, min_length=3, max_length=2000)


class NotRecorded(BaseModel):
    """A person whose day was not recorded, and why (the step's error code and message)."""

    participant_id: uuid.UUID
    code: str
    message: str


class AttendanceListOut(BaseModel):
    """What the list recorded: each person's day once, and who was not recorded and why."""

    class_id: uuid.UUID
    day: date
    correction: int
    recorded: list[uuid.UUID]
    not_recorded: list[NotRecorded]


class PresentRow(BaseModel):
    """A latest mark of the month's lists (the read model's "who was here")."""

    participant_id: uuid.UUID
    day: date
    class_id: uuid.UUID
    mark: Mark
    hours: Decimal | None
    absence: AbsenceKind | None


class PsuAgreementIn(_In):
    """The municipality's annual PSU agreement with a host institution."""

    host: str = Field(min_length=1, max_length=HOST_NAME_MAX)
    signed_on: date
    valid_from: date
    valid_until: date


class PsuAgreementOut(PsuAgreementIn):
    """An agreement with the regime and caps it keeps for its life."""

    id: uuid.UUID
    regime: PsuRegime
    weekly_hours_max: int | None
    monthly_hours_max: int | None


class PsuHoursIn(_In):
    """A person's PSU hours on a day under the agreement (the placement's day)."""

    participant_id: uuid.UUID
    day: date
    hours: Hours


def attendance_kind(kind: ActivityKind) -> AttendanceKind:
    """The pathway's attendance kind for a class of this activity."""
    if kind is ActivityKind.WORKSHOP:
        return AttendanceKind.WORKSHOP
    if kind is ActivityKind.CONSULTATION:
        return AttendanceKind.INDIVIDUAL
    return AttendanceKind.GROUP
