"""The monthly programme (art. 14 ust. 1a): classes, their days, and the month's check.

A class is held for a group or for one person, by a staff member, in a place, for planned
hours: once (`on`) or every week on a weekday between two days. ("Session" is the database's
word in this code base; a participant's meeting here is a class.) A participant's week is the
sum of their groups' classes (on the days they belong to each) and their own; the head checks
the month before it starts (`domain/month_check.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from domain.errors import InvalidInput
from domain.groups import ActivityKind, Membership

CLASS_HOURS_MAX = Decimal(12)
# The days a programme may be planned or asked for: the act's time, and no further than 2099.
EARLIEST = date(2003, 1, 1)
LATEST = date(2099, 12, 31)
PLACE_MAX = 200
TITLE_MAX = 200
# A class's time of day on the centre's wall clock (Europe/Warsaw): "08:00" or "08:00:00", never
# an offset. The document says so by a pattern: JSON Schema's `time` format is RFC 3339's
# full-time, which demands seconds and an offset a timetable has no use for.
WallClock = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "examples": ["08:00"],
        }
    ),
]


class PlannedClass(BaseModel):
    """A class of the programme: one-off (`on`) or weekly (`weekday`, `first_day`..`last_day`)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: ActivityKind
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    place: str = Field(min_length=1, max_length=PLACE_MAX)
    staff_id: str | None = None
    group_id: str | None = None
    participant_id: str | None = None
    starts_at: time
    hours: Decimal = Field(gt=0, le=CLASS_HOURS_MAX)
    on: date | None = None
    weekday: int | None = Field(default=None, ge=0, le=6)  # 0 = Monday
    first_day: date | None = None
    last_day: date | None = None
    cancelled_days: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _one_shape(self) -> PlannedClass:
        if (self.group_id is None) == (self.participant_id is None):
            raise ValueError("a class is for a group or for one person")
        weekly = (self.weekday, self.first_day, self.last_day)
        if self.on is not None and any(v is not None for v in weekly):
            raise ValueError("a one-off class has a day, not a weekday")
        if self.on is None and any(v is None for v in weekly):
            raise ValueError("a weekly class needs its weekday, first and last day")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValueError("a weekly class ends before it starts")
        for day in (self.on, self.first_day, self.last_day, *self.cancelled_days):
            if day is not None and not EARLIEST <= day <= LATEST:
                raise ValueError(f"a class is planned between {EARLIEST} and {LATEST}")
        end = datetime.combine(date(2000, 1, 1), self.starts_at) + _duration(self.hours)
        if end.date() != date(2000, 1, 1) and end.time() != time(0):
            raise ValueError("a class ends on the day it starts")
        return self

    def days_between(self, first: date, last: date) -> list[date]:
        """The days it is held from `first` to `last` (both included), cancellations left out."""
        if self.on is not None:
            days = [self.on] if first <= self.on <= last else []
        else:
            assert self.first_day and self.last_day and self.weekday is not None
            if last < self.first_day or self.last_day < first:
                return []
            start = max(first, self.first_day)
            start += timedelta(days=(self.weekday - start.weekday()) % 7)
            stop = min(last, self.last_day)
            days = []
            while start <= stop:
                days.append(start)
                start += timedelta(days=7)
        return [d for d in days if d not in self.cancelled_days]


def _duration(hours: Decimal) -> timedelta:
    return timedelta(minutes=int(hours * 60))


class ClassDay(BaseModel):
    """One class on one day: the timetable's cell."""

    model_config = ConfigDict(frozen=True)

    class_id: str
    day: date
    starts_at: WallClock
    ends_at: WallClock
    hours: Decimal
    kind: ActivityKind
    title: str
    place: str
    staff_id: str | None
    group_id: str | None
    participant_id: str | None


def class_days(classes: Iterable[PlannedClass], first: date, last: date) -> list[ClassDay]:
    """Every class held from `first` to `last`, by day and hour."""
    held = []
    for c in classes:
        for day in c.days_between(first, last):
            end = (datetime.combine(day, c.starts_at) + _duration(c.hours)).time()
            held.append(
                ClassDay(
                    class_id=c.id, day=day, starts_at=c.starts_at,
                    ends_at=end if end != time(0) else time.max, hours=c.hours, kind=c.kind,
                    title=c.title, place=c.place, staff_id=c.staff_id, group_id=c.group_id,
                    participant_id=c.participant_id,
                )
            )  # fmt: skip
    held.sort(key=lambda d: (d.day, d.starts_at, d.class_id))
    return held


def attendees(day: ClassDay, memberships_by_group: dict[str, list[Membership]]) -> list[str]:
    """Who is expected at a class that day: the person, or the group's members then."""
    if day.participant_id is not None:
        return [day.participant_id]
    assert day.group_id is not None
    return sorted(
        {m.participant_id for m in memberships_by_group.get(day.group_id, []) if m.covers(day.day)}
    )


def by_group(memberships: Iterable[Membership]) -> dict[str, list[Membership]]:
    """Memberships indexed by group."""
    index: dict[str, list[Membership]] = defaultdict(list)
    for m in memberships:
        index[m.group_id].append(m)
    return index


def in_range(first: date, last: date) -> None:
    """Refuse a stretch outside the days a programme may be planned for."""
    if not (first >= EARLIEST and last <= LATEST):
        raise InvalidInput("invalid_period", f"Ask for days between {EARLIEST} and {LATEST}.")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month."""
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def person_week(
    classes: Sequence[PlannedClass],
    memberships: Sequence[Membership],
    participant_id: str,
    monday: date,
) -> list[ClassDay]:
    """A participant's classes in the week from `monday`: their groups' and their own."""
    groups = by_group(memberships)
    return [
        d
        for d in class_days(classes, monday, monday + timedelta(days=6))
        if participant_id in attendees(d, groups)
    ]
