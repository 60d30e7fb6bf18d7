"""Which reminders a pathway calls for (domain.md §9.8), and where each one goes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.holidays import polish_holidays
from domain.appointments import Agenda, AppointmentKind, AppointmentRequest, apply_appointment
from domain.calendar import WARSAW
from domain.errors import InvalidInput, NotFound, StepNotAllowed
from domain.pathway import Deadline, DeadlineKind, PathwayState
from domain.reminders import Dropped, Reminder, ReminderKind, pending, plan, schedule, years_needed
from domain.stages import Programme, Stage

HOLIDAYS = polish_holidays(2026, 2027)
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def warsaw(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW).astimezone(UTC)


def cis_state(**changes: object) -> PathwayState:
    state = PathwayState(
        pathway_id="p-1",
        participant_id="x-1",
        programme=Programme.CIS,
        rulebook_key="uzs-2022",
        started_on=date(2026, 11, 2),
        stage=Stage.CIS_TRIAL,
        deadlines=[
            Deadline(kind=DeadlineKind.TRIAL_END, due_on=date(2026, 12, 2)),
            Deadline(kind=DeadlineKind.PARTICIPATION_END, due_on=date(2027, 11, 2)),
            Deadline(kind=DeadlineKind.EXTENSION_DECISION, due_on=date(2027, 10, 3)),
        ],
    )
    return state.model_copy(update=changes)


def appointment(agenda: Agenda, starts_at: datetime, sid: str = "s-1") -> Agenda:
    request = AppointmentRequest(
        op="schedule",
        appointment_id=sid,
        starts_at=starts_at,
        kind=AppointmentKind.WORKSHOP,
        place="s. 12",
    )
    return apply_appointment(agenda, request, NOW, open_=True)[0]


def test_deadlines_give_the_trial_review_and_the_end_of_participation() -> None:
    reminders = {r.kind: r for r in plan(cis_state(), Agenda())}
    assert set(reminders) == {ReminderKind.TRIAL_REVIEW, ReminderKind.PARTICIPATION_ENDING}
    assert reminders[ReminderKind.TRIAL_REVIEW].due_at == warsaw(2026, 11, 29, 10, 0)  # -3 days
    assert reminders[ReminderKind.PARTICIPATION_ENDING].due_at == warsaw(2027, 10, 3, 10, 0)
    assert reminders[ReminderKind.PARTICIPATION_ENDING].about_on == date(2027, 11, 2)


def test_an_appointment_gives_the_eve_at_18_and_an_sms_two_hours_before() -> None:
    agenda = appointment(Agenda(), warsaw(2026, 11, 26, 11, 0))
    eve, soon = [r for r in plan(cis_state(), agenda) if r.reminder.startswith("session")]
    assert (eve.kind, eve.due_at, eve.sms_only) == (
        ReminderKind.APPOINTMENT_EVE,
        warsaw(2026, 11, 25, 18, 0),
        False,
    )
    assert (soon.kind, soon.due_at, soon.sms_only) == (
        ReminderKind.APPOINTMENT_SOON,
        warsaw(2026, 11, 26, 9, 0),
        True,
    )


def test_a_cancelled_or_done_reminder_is_no_longer_pending() -> None:
    agenda = appointment(Agenda(), warsaw(2026, 11, 26, 11, 0))
    cancel = AppointmentRequest(op="cancel", appointment_id="s-1")
    cancelled, _ = apply_appointment(agenda, cancel, NOW, open_=True)
    assert not [r for r in plan(cis_state(), cancelled) if r.reminder.startswith("session")]
    first = pending(cis_state(), agenda)[0]
    done = agenda.model_copy(update={"done": {first.key: "sent"}})
    assert first.key not in {r.key for r in pending(cis_state(), done)}


def test_exit_gives_the_certificate_and_three_check_ins() -> None:
    from domain.pathway import Event

    event = Event(
        seq=2, type="complete_cis", occurred_on=date(2027, 3, 1), actor="cw", recorded_at=NOW
    )
    state = cis_state(
        stage=Stage.CIS_COMPLETED, exited_on=date(2027, 3, 1), deadlines=[], timeline=[event]
    )
    kinds = [(r.kind, r.due_at) for r in plan(state, Agenda())]
    assert kinds == [
        (ReminderKind.CERTIFICATE_READY, warsaw(2027, 3, 1, 10, 0)),
        (ReminderKind.CHECK_IN, warsaw(2027, 3, 31, 10, 0)),
        (ReminderKind.CHECK_IN, warsaw(2027, 4, 30, 10, 0)),
        (ReminderKind.CHECK_IN, warsaw(2027, 5, 30, 10, 0)),
    ]
    assert plan(state.model_copy(update={"stage": Stage.CLOSED}), Agenda()) == []


def test_schedule_moves_sunday_reminders_and_drops_what_comes_too_late() -> None:
    trial = next(r for r in plan(cis_state(), Agenda()) if r.kind is ReminderKind.TRIAL_REVIEW)
    # Due Sunday 29 Nov 10:00: nearest allowed is Saturday 19:59 (22 h) or Monday 08:00 (22 h):
    # equally near, the earlier wins; both are before 2 Dec.
    moment = schedule(trial, NOW, HOLIDAYS)
    assert isinstance(moment, datetime)
    assert moment.astimezone(WARSAW).date() in {date(2026, 11, 28), date(2026, 11, 30)}
    assert schedule(trial, warsaw(2026, 12, 2, 0, 0), HOLIDAYS) == Dropped(reason="too_late")
    check_in = plan(
        cis_state(stage=Stage.WITHDRAWN, exited_on=date(2026, 1, 1), deadlines=[]), Agenda()
    )[0]
    assert schedule(check_in, NOW, HOLIDAYS) == Dropped(reason="recorded_too_late")


def test_appointment_rules() -> None:
    agenda = appointment(Agenda(), warsaw(2026, 11, 26, 11, 0))
    again = appointment(agenda, warsaw(2026, 11, 26, 11, 0))
    assert again == agenda  # a retried request changes nothing
    with pytest.raises(StepNotAllowed):
        appointment(Agenda(), NOW - timedelta(minutes=1))
    with pytest.raises(NotFound):
        apply_appointment(
            Agenda(), AppointmentRequest(op="cancel", appointment_id="nope"), NOW, open_=True
        )
    with pytest.raises(InvalidInput):
        apply_appointment(
            Agenda(), AppointmentRequest(op="schedule", appointment_id="x"), NOW, open_=True
        )
    closed = AppointmentRequest(
        op="schedule",
        appointment_id="s-2",
        starts_at=NOW + timedelta(days=1),
        kind=AppointmentKind.REVIEW,
        place="x",
    )
    with pytest.raises(StepNotAllowed):
        apply_appointment(Agenda(), closed, NOW, open_=False)


@pytest.mark.parametrize("scheduled_in", [2026, 2027, 2030])
def test_a_reminder_due_in_january_scheduled_in_december_knows_new_years_day(
    scheduled_in: int,
) -> None:
    december = datetime(scheduled_in, 12, 4, 9, tzinfo=WARSAW)
    new_year = Reminder(
        reminder="trial_review:x",
        kind=ReminderKind.TRIAL_REVIEW,
        due_at=datetime(scheduled_in + 1, 1, 1, 10, tzinfo=WARSAW).astimezone(UTC),
    )
    years = years_needed([new_year], december)
    assert years == {scheduled_in, scheduled_in + 1, scheduled_in + 2}
    holidays = polish_holidays(min(years), max(years))
    moment = schedule(new_year, december, holidays)
    assert isinstance(moment, datetime)
    assert moment.astimezone(WARSAW).date() not in holidays  # moved off New Year's Day
