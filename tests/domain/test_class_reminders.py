"""Classes of the timetable as appointments, and the notice of a cancelled one (anchored dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from domain.appointments import Agenda, Appointment, AppointmentKind
from domain.calendar import WARSAW
from domain.class_reminders import appointment_id, ids_on, wanted_and_unwanted, window
from domain.groups import ActivityKind, Membership
from domain.reminder_policy import POLICY
from domain.reminders import ReminderKind, cancellation_notices, told_keys
from domain.timetable import PlannedClass

MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 7, 0, tzinfo=WARSAW).astimezone(UTC)  # Monday 07:00


def weekly(**fields: object) -> PlannedClass:
    base: dict[str, object] = {
        "id": "c1", "kind": ActivityKind.WORKSHOP, "title": "Kuchnia", "place": "sala 2",
        "group_id": "g1", "starts_at": time(9, 0), "hours": Decimal(4), "weekday": 0,
        "first_day": MONDAY - timedelta(days=14), "last_day": MONDAY + timedelta(days=60),
    }  # fmt: skip
    return PlannedClass.model_validate({**base, **fields})


def test_a_weekly_class_is_each_members_appointment_day_by_day_within_the_window() -> None:
    members = [
        Membership(group_id="g1", participant_id="a", joined_on=MONDAY - timedelta(days=30)),
        Membership(group_id="g1", participant_id="b", joined_on=MONDAY + timedelta(days=7)),
    ]
    wanted, unwanted = wanted_and_unwanted([weekly()], members, NOW)
    first, last = window(NOW)
    assert (first, last) == (MONDAY, MONDAY + timedelta(days=POLICY.class_days_ahead))
    days = [MONDAY, MONDAY + timedelta(days=7), MONDAY + timedelta(days=14)]
    assert sorted((w.participant_id, w.starts_at) for w in wanted) == sorted(
        [("a", _at(d)) for d in days] + [("b", _at(d)) for d in days[1:]]
    )
    # b was not yet a member on the first Monday: nothing to hold then.
    assert [(u.participant_id, u.starts_at) for u in unwanted] == [("b", _at(MONDAY))]
    assert {w.kind for w in wanted} == {AppointmentKind.WORKSHOP}
    assert len({w.appointment_id for w in wanted}) == len(wanted)  # one per person and day
    again, _ = wanted_and_unwanted([weekly()], members, NOW)
    assert again == wanted  # the same ids whenever asked


def test_a_cancelled_day_and_a_day_after_leaving_are_unwanted_and_a_started_class_is_neither() -> (
    None
):
    members = [
        Membership(
            group_id="g1",
            participant_id="a",
            joined_on=MONDAY - timedelta(days=30),
            left_on=MONDAY + timedelta(days=10),
        ),
    ]
    cancelled = weekly(cancelled_days=(MONDAY + timedelta(days=7),))
    at_ten = NOW + timedelta(hours=3)  # Monday 10:00: today's class has started
    wanted, unwanted = wanted_and_unwanted([cancelled], members, at_ten)
    assert [w.starts_at for w in wanted] == []
    assert [u.starts_at for u in unwanted] == [
        _at(MONDAY + timedelta(days=7)),  # cancelled
        _at(MONDAY + timedelta(days=14)),  # after leaving
    ]
    assert unwanted[0].appointment_id == appointment_id("c1", MONDAY + timedelta(days=7), "a")


def test_the_ids_of_a_day_cover_members_and_former_members_and_no_other_day() -> None:
    members = [
        Membership(group_id="g1", participant_id="a", joined_on=MONDAY - timedelta(days=30)),
        Membership(
            group_id="g1",
            participant_id="b",
            joined_on=MONDAY - timedelta(days=30),
            left_on=MONDAY - timedelta(days=1),
        ),
    ]
    assert ids_on([weekly()], members, MONDAY) == {
        appointment_id("c1", MONDAY, "a"),
        appointment_id("c1", MONDAY, "b"),
    }
    assert ids_on([weekly()], members, MONDAY + timedelta(days=1)) == set()


def test_an_individual_consultation_is_the_persons_individual_meeting() -> None:
    one = weekly(group_id=None, participant_id="p", kind=ActivityKind.CONSULTATION)
    wanted, _ = wanted_and_unwanted([one], [], NOW)
    assert {(w.participant_id, w.kind) for w in wanted} == {("p", AppointmentKind.INDIVIDUAL)}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=WARSAW).astimezone(UTC)


def test_a_cancellation_notice_only_for_those_told_and_due_with_the_first_telling() -> None:
    starts = _at(MONDAY)
    held = Appointment(id="x", starts_at=starts, kind=AppointmentKind.WORKSHOP, place="sala 2")
    eve_key = f"session_eve:x@{datetime(2026, 12, 6, 17, 0, tzinfo=UTC).isoformat()}"
    cancelled = held.model_copy(update={"cancelled": True})
    never_told = Agenda(appointments=(cancelled,))
    assert cancellation_notices(never_told) == [] and told_keys(never_told) == set()
    suppressed = Agenda(appointments=(cancelled,), done={eve_key: "suppressed"})
    assert cancellation_notices(suppressed) == []
    told = Agenda(appointments=(cancelled,), done={eve_key: "sent"})
    (notice,) = cancellation_notices(told)
    assert notice.kind is ReminderKind.APPOINTMENT_CANCELLED
    assert notice.reminder == "session_cancelled:x"
    assert (notice.due_at, notice.before, notice.sms_only) == (
        datetime(2026, 12, 6, 17, 0, tzinfo=UTC),
        starts,
        False,
    )
    assert told_keys(told) == {eve_key}
    still_held = Agenda(appointments=(held,), done={eve_key: "sent"})
    assert cancellation_notices(still_held) == []
