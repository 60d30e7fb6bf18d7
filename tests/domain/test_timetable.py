"""Groups over time, the monthly programme and its check (domain/groups.py, domain/timetable.py)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict, InvalidInput
from domain.groups import ActivityKind, Membership, join, leave, members_on, move
from domain.month_check import ClashKind, PersonInCentre, WeekFlag, check_month
from domain.timetable import PlannedClass, class_days, month_bounds, person_week

FEB = (2027, 2)  # 1 February 2027 is a Monday; four whole weeks, no public holiday
MONDAY = date(2027, 2, 1)


def _workshop(
    cid: str = "w", group: str = "g1", hours: str = "6", weekday_from: int = 0, weekday_to: int = 4
) -> list[PlannedClass]:
    return [
        PlannedClass(
            id=f"{cid}{wd}", kind=ActivityKind.WORKSHOP, title="Gastronomia", place="Sala 1",
            staff_id="s1", group_id=group, starts_at=time(8), hours=Decimal(hours), weekday=wd,
            first_day=date(2027, 1, 1), last_day=date(2027, 12, 31),
        )
        for wd in range(weekday_from, weekday_to + 1)
    ]  # fmt: skip


def _member(person: str, group: str = "g1", since: date = date(2027, 1, 4)) -> Membership:
    return Membership(group_id=group, participant_id=person, joined_on=since)


def test_a_group_of_thirty_hours_a_week_passes_the_check() -> None:
    check = check_month(
        _workshop(),
        [_member("p1")],
        [PersonInCentre(participant_id="p1", in_centre_from=date(2027, 1, 4))],
        *FEB,
    )
    assert [w.hours for w in check.weeks] == [Decimal(30)] * 4
    assert all(w.whole and w.minimum == 30 and w.maximum == 40 for w in check.weeks)
    assert check.flagged == [] and check.clashes == []


def test_a_disabled_participant_s_lower_figure_flags_a_full_week() -> None:
    person = PersonInCentre(
        participant_id="p2", in_centre_from=date(2027, 1, 4), certified_weekly_hours=Decimal(20)
    )
    check = check_month(_workshop(), [_member("p2")], [person], *FEB)
    assert {(w.minimum, w.maximum, w.flag) for w in check.weeks} == {
        (Decimal(20), Decimal(20), WeekFlag.OVER_MAXIMUM)
    }


def test_short_weeks_are_flagged_only_when_whole() -> None:
    short = _workshop(hours="5")  # 25 h a week
    people = [
        PersonInCentre(participant_id="p1", in_centre_from=date(2027, 1, 4)),
        PersonInCentre(participant_id="p3", in_centre_from=date(2027, 2, 17)),
    ]
    members = [_member("p1"), _member("p3", since=date(2027, 2, 17))]
    check = check_month(short, members, people, *FEB)
    p1 = [w.flag for w in check.weeks if w.participant_id == "p1"]
    p3 = [(w.hours, w.flag) for w in check.weeks if w.participant_id == "p3"]
    assert p1 == [WeekFlag.UNDER_MINIMUM] * 4
    # Joined on a Wednesday: that week is not whole, the next one is.
    assert p3 == [(0, None), (0, None), (Decimal(15), None), (Decimal(25), WeekFlag.UNDER_MINIMUM)]


def test_own_consultation_during_the_workshop_is_a_clash_and_adds_hours() -> None:
    own = PlannedClass(
        id="c1",
        kind=ActivityKind.CONSULTATION,
        title="Psycholog",
        place="Pokój 3",
        staff_id="s2",
        participant_id="p1",
        starts_at=time(10),
        hours=Decimal(2),
        on=date(2027, 2, 3),
    )
    check = check_month(
        [*_workshop(hours="8"), own],
        [_member("p1")],
        [PersonInCentre(participant_id="p1", in_centre_from=date(2027, 1, 4))],
        *FEB,
    )
    assert [c.kind for c in check.clashes] == [ClashKind.PERSON]
    assert check.clashes[0].class_ids == ("w2", "c1") and check.clashes[0].day == date(2027, 2, 3)
    assert check.weeks[0].hours == 42 and check.weeks[0].flag is WeekFlag.OVER_MAXIMUM


def test_a_room_and_an_instructor_booked_twice() -> None:
    other = _workshop(cid="x", group="g2", weekday_from=0, weekday_to=0)
    check = check_month([*_workshop(), *other], [], [], *FEB)
    assert {c.kind for c in check.clashes} == {ClashKind.STAFF, ClashKind.PLACE}
    assert len(check.clashes) == 8  # four Mondays, staff and room


def test_before_2022_there_were_no_weekly_figures() -> None:
    person = PersonInCentre(participant_id="p1", in_centre_from=date(2021, 1, 4))
    check = check_month(_workshop(), [_member("p1", since=date(2021, 1, 4))], [person], 2021, 2)
    assert all(w.minimum is None and w.maximum is None and w.flag is None for w in check.weeks)


def test_cancelled_day_and_one_off() -> None:
    plan = PlannedClass(
        id="w",
        kind=ActivityKind.WORKSHOP,
        title="t",
        place="p",
        group_id="g1",
        starts_at=time(8),
        hours=Decimal(6),
        weekday=0,
        first_day=date(2027, 2, 1),
        last_day=date(2027, 2, 28),
        cancelled_days=(date(2027, 2, 8),),
    )
    assert [d.day.day for d in class_days([plan], *month_bounds(*FEB))] == [1, 15, 22]
    with pytest.raises(ValueError):
        PlannedClass(
            id="x",
            kind=ActivityKind.TRAINING,
            title="t",
            place="p",
            group_id="g",
            participant_id="p",
            starts_at=time(8),
            hours=Decimal(1),
            on=MONDAY,
        )


def test_join_leave_move() -> None:
    first = join([], "g1", "p1", date(2027, 2, 1))
    with pytest.raises(Conflict):
        join([first], "g1", "p1", date(2027, 2, 3))
    closed, moved = move([first], "p1", "g1", "g2", date(2027, 2, 10))
    assert closed.left_on == date(2027, 2, 10) and moved.joined_on == date(2027, 2, 10)
    history = [closed, moved]
    assert members_on(history, "g1", date(2027, 2, 9)) == ["p1"]
    assert members_on(history, "g1", date(2027, 2, 10)) == []
    assert members_on(history, "g2", date(2027, 2, 10)) == ["p1"]
    with pytest.raises(InvalidInput):
        leave([moved], "g2", "p1", date(2027, 2, 10))
    with pytest.raises(Conflict):
        leave(history, "g1", "p1", date(2027, 2, 20))


@given(
    hours=st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=7),
    joined=st.integers(min_value=0, max_value=27),
)
def test_a_person_s_weeks_add_up_to_the_classes_they_belong_to(
    hours: list[int], joined: int
) -> None:
    classes = [
        PlannedClass(id=f"c{i}", kind=ActivityKind.GROUP_CLASS, title="t", place=f"room {i}",
                     group_id="g1", starts_at=time(8), hours=Decimal(h), weekday=i % 7,
                     first_day=date(2027, 1, 1), last_day=date(2027, 12, 31))
        for i, h in enumerate(hours)
    ]  # fmt: skip
    since = MONDAY + timedelta(days=joined)
    member = _member("p", since=since)
    check = check_month(
        classes, [member], [PersonInCentre(participant_id="p", in_centre_from=since)], *FEB
    )
    expected = sum(d.hours for d in class_days(classes, *month_bounds(*FEB)) if d.day >= since)
    assert sum(w.hours for w in check.weeks) == expected
    for w in check.weeks:
        assert w.hours == sum(d.hours for d in person_week(classes, [member], "p", w.monday))
