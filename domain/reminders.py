"""Which reminders a participant gets, and when (domain.md §9.8), planned from the pathway state.

Pure: the workflow asks `plan` for every reminder of the pathway, keeps those not yet done, and
fixes each one's moment with `schedule` the first time it sees it (quiet hours, holidays, jitter).
"""

from __future__ import annotations

from collections.abc import Set
from datetime import UTC, date, datetime, time
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from domain.appointments import Agenda, Appointment, AppointmentKind
from domain.calendar import WARSAW, add_days
from domain.pathway import DeadlineKind, PathwayState
from domain.quiet_hours import jittered, send_moment
from domain.reminder_policy import POLICY, ReminderPolicy
from domain.stages import Stage


class ReminderKind(StrEnum):
    """The reminders a participant gets; each has a template in both languages."""

    # The values keep the first spelling: they are stored in outbox rows, in running workflows'
    # reminder keys, and the HTTP answers name them.
    APPOINTMENT_EVE = "session_eve"
    APPOINTMENT_SOON = "session_soon"
    TRIAL_REVIEW = "trial_review"
    CONTRACT_REVIEW = "contract_review"
    PARTICIPATION_ENDING = "participation_ending"
    CERTIFICATE_READY = "certificate_ready"
    CHECK_IN = "check_in"
    # Issue 14: a cancelled appointment (or class day) told to those already reminded of it.
    APPOINTMENT_CANCELLED = "session_cancelled"


# A reminder that ended so is taken as having told the person (an unconfirmed e-mail may have).
TOLD = frozenset({"sent", "unconfirmed"})


class Reminder(BaseModel):
    """One reminder: its identity (`reminder` + `due_at`), what it is about, and how it may go."""

    model_config = ConfigDict(frozen=True)

    reminder: str  # e.g. "session_eve:<appointment id>", "trial_review:2026-05-01"
    kind: ReminderKind
    due_at: datetime  # the nominal moment (UTC)
    before: datetime | None = None  # what it reminds of; it must arrive before this
    sms_only: bool = False
    # Template data, never personal: a date, a time, an appointment kind and its place.
    about_on: date | None = None
    starts_at: datetime | None = None
    appointment_kind: AppointmentKind | None = None
    place: str | None = None

    @property
    def key(self) -> str:
        """Unique within the pathway: the reminder and its due moment."""
        return f"{self.reminder}@{self.due_at.astimezone(UTC).isoformat()}"


class Dropped(BaseModel):
    """A reminder that will not go, and why (the caseworker sees the reason)."""

    reason: str


_DATE_DEADLINES = {
    DeadlineKind.TRIAL_END: (ReminderKind.TRIAL_REVIEW, "trial_review_days_before"),
    DeadlineKind.CONTRACT_REVIEW: (ReminderKind.CONTRACT_REVIEW, "contract_review_days_before"),
    DeadlineKind.PARTICIPATION_END: (
        ReminderKind.PARTICIPATION_ENDING,
        "participation_end_days_before",
    ),
}


def plan(state: PathwayState, agenda: Agenda, policy: ReminderPolicy = POLICY) -> list[Reminder]:
    """Every reminder the pathway's state calls for now, done or not, earliest first."""
    reminders = [
        *_appointments(agenda, policy),
        *_deadlines(state, policy),
        *_after_exit(state, policy),
    ]
    return sorted(reminders, key=lambda r: (r.due_at, r.reminder))


def pending(state: PathwayState, agenda: Agenda, policy: ReminderPolicy = POLICY) -> list[Reminder]:
    """The reminders not yet done."""
    return [r for r in plan(state, agenda, policy) if r.key not in agenda.done]


def schedule(
    reminder: Reminder, now: datetime, holidays: Set[date], policy: ReminderPolicy = POLICY
) -> datetime | Dropped:
    """The moment a reminder goes, fixed once: quiet hours moved, jitter added; or why not."""
    if reminder.before is not None and now >= reminder.before:
        return Dropped(reason="too_late")
    if now - reminder.due_at > policy.stale_after:
        return Dropped(reason="recorded_too_late")
    moment = send_moment(reminder.due_at, reminder.before, now, holidays, policy)
    if moment is None:
        return Dropped(reason="quiet_hours_no_slot")
    return jittered(moment, reminder.key, reminder.before, now, holidays, policy)


def years_needed(reminders: list[Reminder], now: datetime, every_year: bool = True) -> set[int]:
    """The years whose holidays scheduling these reminders may look at: every year from now to
    the latest due moment, and the next (a move can cross 1 January).

    `every_year=False` is the first version's answer, kept for histories recorded with it: it
    skipped the years in between, so a reminder due in January, scheduled in December, was
    moved without knowing New Year's Day.
    """
    years: set[int] = set()
    for r in reminders:
        first = min(r.due_at, now).astimezone(WARSAW).year
        last = max(r.due_at, now).astimezone(WARSAW).year + 1
        years |= set(range(first, last + 1)) if every_year else {first, last}
    return years


def _appointments(agenda: Agenda, policy: ReminderPolicy) -> list[Reminder]:
    return [r for a in agenda.appointments if not a.cancelled for r in _told_of(a, policy)]


def _told_of(a: Appointment, policy: ReminderPolicy) -> list[Reminder]:
    """An appointment's own reminders: the evening before, and by SMS shortly before."""
    eve = add_days(a.starts_at.astimezone(WARSAW).date(), -1)
    data = {"starts_at": a.starts_at, "appointment_kind": a.kind, "place": a.place}
    return [
        Reminder(
            reminder=f"{ReminderKind.APPOINTMENT_EVE}:{a.id}",
            kind=ReminderKind.APPOINTMENT_EVE,
            due_at=_local(eve, policy.appointment_eve_at),
            before=a.starts_at,
            **data,
        ),
        Reminder(
            reminder=f"{ReminderKind.APPOINTMENT_SOON}:{a.id}",
            kind=ReminderKind.APPOINTMENT_SOON,
            due_at=a.starts_at - policy.appointment_soon_before,
            before=a.starts_at,
            sms_only=True,
            **data,
        ),
    ]


def cancellation_notices(agenda: Agenda, policy: ReminderPolicy = POLICY) -> list[Reminder]:
    """A notice for each cancelled appointment whose reminder already told the person (and only
    for those: someone never told of it is told nothing). Due when the first telling was due, so
    that it goes at the next decent moment, once, and never after the appointment's start."""
    out: list[Reminder] = []
    for a in agenda.appointments:
        if not a.cancelled:
            continue
        told = [r for r in _told_of(a, policy) if agenda.done.get(r.key) in TOLD]
        if not told:
            continue
        first = min(told, key=lambda r: r.due_at)
        out.append(
            first.model_copy(
                update={
                    "reminder": f"{ReminderKind.APPOINTMENT_CANCELLED}:{a.id}",
                    "kind": ReminderKind.APPOINTMENT_CANCELLED,
                    "sms_only": False,
                }
            )
        )
    return out


def told_keys(agenda: Agenda, policy: ReminderPolicy = POLICY) -> set[str]:
    """The keys of cancelled appointments' reminders that told the person: kept in `done` while
    the appointment is held, so that its cancellation notice stays planned until it is done."""
    return {
        r.key
        for a in agenda.appointments
        if a.cancelled
        for r in _told_of(a, policy)
        if agenda.done.get(r.key) in TOLD
    }


def _deadlines(state: PathwayState, policy: ReminderPolicy) -> list[Reminder]:
    out: list[Reminder] = []
    for deadline in state.deadlines:
        if deadline.overdue or deadline.kind not in _DATE_DEADLINES:
            continue
        kind, days_field = _DATE_DEADLINES[deadline.kind]
        days_before: int = getattr(policy, days_field)
        out.append(
            Reminder(
                reminder=f"{kind}:{deadline.due_on.isoformat()}",
                kind=kind,
                due_at=_local(add_days(deadline.due_on, -days_before), policy.date_reminder_at),
                before=_local(deadline.due_on, time.min),
                about_on=deadline.due_on,
            )
        )
    return out


def _after_exit(state: PathwayState, policy: ReminderPolicy) -> list[Reminder]:
    out: list[Reminder] = []
    if state.stage is Stage.CLOSED:
        return out
    certified = next((e for e in state.timeline if e.type == "complete_cis"), None)
    if certified is not None:
        out.append(
            Reminder(
                reminder="certificate_ready",
                kind=ReminderKind.CERTIFICATE_READY,
                due_at=_local(certified.occurred_on, policy.date_reminder_at),
            )
        )
    if state.exited_on is not None:
        # A check-in after the outcome window has closed would ask about nothing any more.
        window = next((d for d in state.deadlines if d.kind is DeadlineKind.OUTCOME_WINDOW), None)
        closes = _local(add_days(window.due_on, 1), time.min) if window else None
        for days in policy.check_in_days_after_exit:
            on = add_days(state.exited_on, days)
            out.append(
                Reminder(
                    reminder=f"check_in_{days}:{state.exited_on.isoformat()}",
                    kind=ReminderKind.CHECK_IN,
                    due_at=_local(on, policy.date_reminder_at),
                    before=closes,
                    about_on=on,
                )
            )
    return out


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=WARSAW).astimezone(UTC)
