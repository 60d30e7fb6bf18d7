"""The pathway workflow's reminders: plan, fix each one's moment, wake, send once.

Kept apart from `workflows/pathway.py` so that the pathway stays small; the rules are in
`domain/reminders.py` and `domain/quiet_hours.py`. Holidays come from an activity, so a replay
never recomputes them with a newer `holidays` package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.notifications import (
        MAX_ATTEMPTS,
        AppointmentsSnapshot,
        HolidaysInput,
        NotificationActivities,
        SendReminderInput,
    )
    from domain.appointments import Agenda
    from domain.pathway import PathwayState
    from domain.reminders import (
        Dropped,
        Reminder,
        cancellation_notices,
        pending,
        plan,
        schedule,
        told_keys,
        years_needed,
    )

SEND_TIMEOUT = timedelta(seconds=30)
SEND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=30),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=30),
    maximum_attempts=MAX_ATTEMPTS,
)
SHORT_TIMEOUT = timedelta(seconds=10)
SHORT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=1)
)

T = TypeVar("T")
State = Callable[[], PathwayState]
Change = Callable[[Callable[[Agenda], Agenda]], None]


def next_wake(state: PathwayState) -> datetime | None:
    """The earliest moment a pending reminder goes."""
    return min(state.agenda.scheduled.values(), default=None)


def has_news(state: PathwayState) -> bool:
    """Appointments changed since they were last projected (and their reminders planned)."""
    return state.agenda.appointments_version > state.agenda.projected_appointments_version


async def run(
    state: State, change: Change, project_appointments: bool, patched: Callable[[str], bool]
) -> None:
    """Fix the moments of new reminders and send those that are due (after projecting changed
    appointments, for runs from before the pathway's projection carried them).

    `state` reads the workflow's current state and `change` edits its agenda in place: steps and
    appointments may arrive while an activity runs, and must not be overwritten.
    """
    if project_appointments:
        await _project_appointments(state, change)
    now = workflow.now()
    planned = {r.key for r in plan(state(), state().agenda)}
    todo = pending(state(), state().agenda)
    # Issue 14: a cancelled appointment tells those already told of it. Asked only when such an
    # appointment is held, so that histories without one never meet the question.
    told = told_keys(state().agenda)
    if told and patched("cancellation-notices"):
        notices = cancellation_notices(state().agenda)
        planned |= told | {r.key for r in notices}
        todo += [r for r in notices if r.key not in state().agenda.done]
    keys = {r.key for r in todo}
    change(
        lambda a: a.model_copy(
            update={"scheduled": _kept(a.scheduled, keys), "done": _kept(a.done, planned)}
        )
    )
    new = [r for r in todo if r.key not in state().agenda.scheduled]
    await _fetch_holidays(state, new, now, change, patched)
    agenda = state().agenda
    holidays = frozenset(day for days in agenda.holidays.values() for day in days)
    for reminder in todo:
        moment = state().agenda.scheduled.get(reminder.key)
        if moment is None:
            outcome = schedule(reminder, now, holidays)
            if isinstance(outcome, Dropped):
                await _send(state, change, reminder, None, outcome.reason)
                continue
            moment = outcome
            change(partial(_with_scheduled, key=reminder.key, moment=moment))
        if moment <= now:
            await _send(state, change, reminder, moment, None)


async def _send(
    state: State, change: Change, reminder: Reminder, moment: datetime | None, dropped: str | None
) -> None:
    current = state()
    job = SendReminderInput(
        pathway_id=current.pathway_id,
        participant_id=current.participant_id,
        reminder=reminder.reminder,
        kind=reminder.kind,
        due_at=reminder.due_at,
        scheduled_for=moment,
        sms_only=reminder.sms_only,
        dropped_reason=dropped,
        starts_at=reminder.starts_at,
        appointment_kind=reminder.appointment_kind,
        place=reminder.place,
        about_on=reminder.about_on,
    )
    try:
        result = await workflow.execute_activity_method(
            NotificationActivities.send_reminder,
            job,
            start_to_close_timeout=SEND_TIMEOUT,
            retry_policy=SEND_RETRY,
        )
        status = result.status
    except ActivityError:
        # Every attempt failed without an answer (e.g. the database was away for hours): the
        # row, if any, says what happened last; the workflow does not try for ever.
        status = "failed"
    change(partial(_with_done, key=reminder.key, status=status))


async def _project_appointments(state: State, change: Change) -> None:
    while has_news(state()):
        current = state()
        version = current.agenda.appointments_version
        await workflow.execute_activity_method(
            NotificationActivities.project_appointments,
            AppointmentsSnapshot(
                pathway_id=current.pathway_id, appointments=list(current.agenda.appointments)
            ),
            start_to_close_timeout=SHORT_TIMEOUT,
            retry_policy=SHORT_RETRY,
        )
        change(partial(projected, version=version))


async def _fetch_holidays(
    state: State,
    new: list[Reminder],
    now: datetime,
    change: Change,
    patched: Callable[[str], bool],
) -> None:
    if not new:
        return
    # Asked only here, where it always was: a run's first answer to `patched` is its answer.
    every_year = patched("holidays-of-every-year")
    missing = years_needed(new, now, every_year) - set(state().agenda.holidays)
    if not missing:
        return
    answer = await workflow.execute_activity_method(
        NotificationActivities.holidays,
        HolidaysInput(years=sorted(missing)),
        start_to_close_timeout=SHORT_TIMEOUT,
        retry_policy=SHORT_RETRY,
    )
    fetched = {year: tuple(days) for year, days in answer.holidays.items()}
    change(lambda a: a.model_copy(update={"holidays": {**a.holidays, **fetched}}))


def _kept(entries: dict[str, T], keys: set[str]) -> dict[str, T]:
    # A cancelled appointment, a moved date or a forgotten past one leaves entries nobody needs
    # (the outbox row still refuses a second send should one come back).
    return {k: v for k, v in entries.items() if k in keys}


def _with_scheduled(agenda: Agenda, key: str, moment: datetime) -> Agenda:
    return agenda.model_copy(update={"scheduled": {**agenda.scheduled, key: moment}})


def _with_done(agenda: Agenda, key: str, status: str) -> Agenda:
    scheduled = {k: v for k, v in agenda.scheduled.items() if k != key}
    return agenda.model_copy(update={"done": {**agenda.done, key: status}, "scheduled": scheduled})


def projected(agenda: Agenda, version: int) -> Agenda:
    """The agenda with its appointments projected up to `version`."""
    return agenda.model_copy(update={"projected_appointments_version": version})
