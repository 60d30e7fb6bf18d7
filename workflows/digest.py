"""The morning run for staff: caseworkers' task digests and escalations to supervisors; then
(issue 16) what was left untold is told, and the class reminders' window moves on a day."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, timedelta
from typing import TypeVar

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.digest import (
        DigestActivities,
        DigestDay,
        DigestRequest,
        EscalationRequest,
        SendStatus,
    )
    from activities.morning import FOLLOW_TIMETABLES, TELL_UNTOLD, TimetablesFollowed, Untold
    from domain.calendar import local_date

_STEP = timedelta(seconds=30)
# Telling a few hundred workflows, or a unit's class days of the next days, takes longer.
_CATCH_UP = timedelta(minutes=5)
T = TypeVar("T", Untold, TimetablesFollowed)
A = TypeVar("A")
R = TypeVar("R")
# Activities scheduled by one workflow task at most: a morning with thousands of late tasks is
# sent in waves, each task well within the worker's deadlock limit (a morning with fewer
# schedules them all at once, as before: its history is the same).
_WAVE = 100
# A send held by another attempt is retried soon; an unreachable relay with growing pauses.
_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=2))


class DigestRunInput(BaseModel):
    """The Schedule starts it without a day (today in Poland); tests and operators may name one.

    `catch_up` (issue 16): the run also tells what was left untold and moves the class
    reminders' window. The Schedule sets it; runs started before it existed have it false in
    their input and replay as they ran (a change asked by the start, without a patch marker:
    workflows/patches.py; the saved history `digest_morning_run.json` holds them to it)."""

    day: date | None = None
    catch_up: bool = False


class DigestRunResult(BaseModel):
    """What the run did, in counts."""

    day: date
    digests_sent: int
    digests_planned: int
    escalations_recorded: int
    escalation_mails_sent: int
    # Issue 16's catch-up (runs from before it: zeros).
    untold: Untold = Field(default_factory=Untold)
    timetables: TimetablesFollowed = Field(default_factory=TimetablesFollowed)


@workflow.defn
class CaseworkerDigestWorkflow:
    """Every morning at 07:30 each caseworker with an e-mail address gets the tasks of their
    pathways due that day and those overdue; a task left open past the unit's number of working
    days goes to the unit's supervisors, once. Running it twice for a day sends nothing twice."""

    @workflow.run
    async def run(self, start: DigestRunInput) -> DigestRunResult:
        """Escalate, then send the digests; each e-mail is its own idempotent activity."""
        day = start.day or local_date(workflow.now())
        # Escalations first, so that today's digest already says which tasks went up.
        late = await workflow.execute_activity_method(
            DigestActivities.plan_escalations, DigestDay(day=day), start_to_close_timeout=_STEP
        )
        escalations = await _in_waves(
            late.tasks,
            lambda task: workflow.execute_activity_method(
                DigestActivities.escalate_task,
                EscalationRequest(task=task, day=day),
                start_to_close_timeout=_STEP,
                retry_policy=_RETRY,
            ),
        )
        plan = await workflow.execute_activity_method(
            DigestActivities.plan_digests, DigestDay(day=day), start_to_close_timeout=_STEP
        )
        digests = await _in_waves(
            plan.caseworker_ids,
            lambda caseworker: workflow.execute_activity_method(
                DigestActivities.send_digest,
                DigestRequest(caseworker_id=caseworker, day=day),
                start_to_close_timeout=_STEP,
                retry_policy=_RETRY,
            ),
        )
        # Issue 16: tell what was left untold and move the class reminders' window on.
        untold, timetables = Untold(), TimetablesFollowed()
        if start.catch_up:
            untold = await self._catch_up(TELL_UNTOLD, day, Untold)
            timetables = await self._catch_up(FOLLOW_TIMETABLES, day, TimetablesFollowed)
        return DigestRunResult(
            day=day,
            digests_planned=len(plan.caseworker_ids),
            digests_sent=sum(d.status is SendStatus.SENT for d in digests),
            escalations_recorded=sum(e.recorded for e in escalations),
            escalation_mails_sent=sum(e.status is SendStatus.SENT for e in escalations),
            untold=untold,
            timetables=timetables,
        )

    async def _catch_up(self, name: str, day: date, answer: type[T]) -> T:
        """One catch-up activity; its failure (after retries) leaves the digests' result as it
        is and tomorrow's run tries again."""
        try:
            done = await workflow.execute_activity(
                name,
                DigestDay(day=day),
                result_type=answer,
                start_to_close_timeout=_CATCH_UP,
                schedule_to_close_timeout=_CATCH_UP * 3,
                retry_policy=_RETRY,
            )
        except ActivityError:
            workflow.logger.warning("morning_catch_up_failed", extra={"activity": name})
            return answer()
        return answer.model_validate(done)


async def _in_waves(items: Sequence[A], call: Callable[[A], Awaitable[R]]) -> list[R]:
    """`call` for every item, at most `_WAVE` at a time, the answers in the items' order."""
    answers: list[R] = []
    for first in range(0, len(items), _WAVE):
        answers += await asyncio.gather(*(call(item) for item in items[first : first + _WAVE]))
    return answers
