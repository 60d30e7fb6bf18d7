"""The monthly programme (art. 14 ust. 1a): classes, their days, and the month's check.

A class is held for a group or for one person, by a staff member, in a place, for planned
hours: once (`on`) or every week on a weekday between two days. ("Session" is the database's
word in this code base; a participant's meeting here is a class.) A participant's week is the
sum of their groups' classes (on the days they belong to each) and their own. Before the month
starts the head checks it: each CIS participant's whole weeks against 30-40 hours (the rulebook
of the week; a lower figure from a disabled participant's certificate), and the clashes of a
person, a staff member or a room booked twice at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.errors import InvalidInput
from domain.groups import ActivityKind, Membership
from domain.public_holidays import holidays_between
from domain.rulebook import rules_on

CLASS_HOURS_MAX = Decimal(12)
# The days a programme may be planned or asked for: the act's time, and no further than 2099.
EARLIEST = date(2003, 1, 1)
LATEST = date(2099, 12, 31)
PLACE_MAX = 200
TITLE_MAX = 200


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
    starts_at: time
    ends_at: time
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


class PersonInCentre(BaseModel):
    """What the month's check needs to know of a participant (no name)."""

    model_config = ConfigDict(frozen=True)

    participant_id: str
    cis: bool = True  # the 30-40 hours are the CIS's (art. 14); a KIS sets no weekly figure
    in_centre_from: date
    in_centre_until: date | None = None
    certified_weekly_hours: Decimal | None = None  # a disabled participant's lower figure

    def covers(self, first: date, last: date) -> bool:
        """Whether the person takes part on every day from `first` to `last`."""
        return self.in_centre_from <= first and (
            self.in_centre_until is None or last <= self.in_centre_until
        )


class WeekFlag(StrEnum):
    """What the check says of a person's week."""

    UNDER_MINIMUM = "week_under_minimum"
    OVER_MAXIMUM = "week_over_maximum"


class PersonWeek(BaseModel):
    """A person's planned hours in one ISO week of the month, with the law's figures."""

    participant_id: str
    week: str  # 2026-W49
    monday: date
    hours: Decimal
    minimum: Decimal | None
    maximum: Decimal | None
    whole: bool  # every day of the week in the month and in the centre, no public holiday
    flag: WeekFlag | None = None


class ClashKind(StrEnum):
    """Who or what is booked twice at once."""

    PERSON = "person"
    STAFF = "staff"
    PLACE = "place"


class Clash(BaseModel):
    """Two classes at the same time for the same person, staff member or room."""

    kind: ClashKind
    who: str  # a participant's or a staff member's id, or the place's text
    day: date
    class_ids: tuple[str, str]


class MonthCheck(BaseModel):
    """The month's programme checked: weeks outside the hours, and the clashes."""

    year: int
    month: int
    weeks: list[PersonWeek]
    clashes: list[Clash]

    @property
    def flagged(self) -> list[PersonWeek]:
        """The weeks with a flag."""
        return [w for w in self.weeks if w.flag is not None]


def in_range(first: date, last: date) -> None:
    """Refuse a stretch outside the days a programme may be planned for."""
    if not (first >= EARLIEST and last <= LATEST):
        raise InvalidInput("invalid_period", f"Ask for days between {EARLIEST} and {LATEST}.")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and the last day of a month."""
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def check_month(
    classes: Sequence[PlannedClass],
    memberships: Sequence[Membership],
    people: Sequence[PersonInCentre],
    year: int,
    month: int,
) -> MonthCheck:
    """Check a month's programme: every CIS person's weeks, and every clash."""
    first, last = month_bounds(year, month)
    days = class_days(classes, first, last)
    groups = by_group(memberships)
    holidays = holidays_between(first, last)
    per_person: dict[str, list[ClassDay]] = defaultdict(list)
    for d in days:
        for attendee in attendees(d, groups):
            per_person[attendee].append(d)
    weeks: list[PersonWeek] = []
    for person in sorted(people, key=lambda p: p.participant_id):
        if person.cis:
            held = per_person.get(person.participant_id, [])
            weeks.extend(_weeks(person, held, first, last, holidays))
    clashes = _clashes(ClashKind.PERSON, per_person.items())
    by_staff: dict[str, list[ClassDay]] = defaultdict(list)
    by_place: dict[str, list[ClassDay]] = defaultdict(list)
    for d in days:
        if d.staff_id is not None:
            by_staff[d.staff_id].append(d)
        by_place[d.place.strip().casefold()].append(d)
    clashes += _clashes(ClashKind.STAFF, by_staff.items())
    clashes += _clashes(ClashKind.PLACE, by_place.items())
    return MonthCheck(year=year, month=month, weeks=weeks, clashes=clashes)


def _weeks(
    person: PersonInCentre,
    held: list[ClassDay],
    first: date,
    last: date,
    holidays: frozenset[date],
) -> list[PersonWeek]:
    hours: dict[date, Decimal] = defaultdict(Decimal)
    for d in held:
        hours[d.day - timedelta(days=d.day.weekday())] += d.hours
    weeks = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        sunday = monday + timedelta(days=6)
        rules = rules_on(monday)
        low, high = rules.cis_weekly_hours_min, rules.cis_weekly_hours_max
        minimum = Decimal(low) if low is not None else None
        maximum = Decimal(high) if high is not None else None
        if person.certified_weekly_hours is not None:
            cert = person.certified_weekly_hours
            maximum = cert if maximum is None else min(maximum, cert)
            minimum = None if minimum is None else min(minimum, cert)
        whole = (
            first <= monday
            and sunday <= last
            and person.covers(monday, sunday)
            and not any(monday + timedelta(days=i) in holidays for i in range(5))
        )
        total = hours.get(monday, Decimal(0))
        flag = None
        if maximum is not None and total > maximum:
            flag = WeekFlag.OVER_MAXIMUM
        elif whole and minimum is not None and total < minimum:
            flag = WeekFlag.UNDER_MINIMUM
        iso = monday.isocalendar()
        weeks.append(
            PersonWeek(
                participant_id=person.participant_id, week=f"{iso[0]}-W{iso[1]:02d}",
                monday=monday, hours=total, minimum=minimum, maximum=maximum, whole=whole,
                flag=flag,
            )
        )  # fmt: skip
        monday += timedelta(days=7)
    return weeks


def _clashes(kind: ClashKind, booked: Iterable[tuple[str, list[ClassDay]]]) -> list[Clash]:
    found = []
    for who, held in booked:
        ordered = sorted(held, key=lambda d: (d.day, d.starts_at, d.class_id))
        for i, one in enumerate(ordered):
            for other in ordered[i + 1 :]:
                if other.day != one.day or other.starts_at >= one.ends_at:
                    break
                if other.class_id != one.class_id:
                    pair = (one.class_id, other.class_id)
                    found.append(Clash(kind=kind, who=who, day=one.day, class_ids=pair))
    return found


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
