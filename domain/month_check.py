"""The month's check of the programme (art. 14): each CIS participant's whole weeks against
30-40 hours (the rulebook of the week; a lower figure from a disabled participant's
certificate), and the clashes of a person, a staff member or a room booked twice at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.groups import Membership
from domain.public_holidays import holidays_between
from domain.rulebook import rules_on
from domain.timetable import ClassDay, PlannedClass, attendees, by_group, class_days, month_bounds


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
