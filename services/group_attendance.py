"""A class's attendance list for a day, in one request: each member's day goes to their pathway.

Each person's mark is the pathway's own step (record_attendance, record_absence, grant_day_off
or record_psu_hours, services/pathways.take_step), with an Idempotency-Key made of the class, the
day, the person and the correction number: a list sent again (a retry, or after the API or a
worker died half-way) records each person's day once, and answers the first answer. The steps go
concurrently; one person's refusal or failure does not stop the others, and the answer names each
person whose day was not recorded, with the step's code and message. Marks that were recorded are
written to the ledger (`class_marks`) after their steps; a correction is a new list with the next
correction number: new events on the pathways and new ledger rows, never an overwrite.

Lists of the same class and day are sent one at a time (two members of staff at the same moment,
or a retry racing the first request): the second waits for the first, then finds its marks in
the ledger and sends nothing again. Otherwise both would read an empty ledger and each send its
own steps (another person's keys are theirs), recording the day twice.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from weakref import WeakValueDictionary

from db import audit, class_marks, groups
from db.session import unit_of_work
from domain.actions import (
    AbsenceKind,
    Action,
    CorrectDay,
    DayMark,
    GrantDayOff,
    RecordAbsence,
    RecordAttendance,
    RecordPsuHours,
)
from domain.centre_views import (
    AttendanceListIn,
    AttendanceListOut,
    Mark,
    MarkIn,
    NotRecorded,
    PresentRow,
    attendance_kind,
)
from domain.errors import InvalidInput
from domain.groups import ActivityKind, Membership
from domain.timetable import attendees, by_group, class_days, month_bounds
from domain.views import StepView
from services import pathway_batches
from services.context import Caller, Services
from services.pathway_batches import Step
from services.timetable import own_class, planned, taught_by

# Steps in flight at once for one list (a group is rarely over 60).
CONCURRENT_STEPS = 64

# The lists being sent by this process, by class and day (the database's lock serialises the
# processes; this one the requests of a process, and on SQLite it is the only one).
_SENDING: WeakValueDictionary[tuple[uuid.UUID, date], asyncio.Lock] = WeakValueDictionary()


@asynccontextmanager
async def one_list_at_a_time(
    services: Services, class_id: uuid.UUID, day: date
) -> AsyncIterator[None]:
    """Hold the class's list of the day while it is sent: later senders wait their turn."""
    lock = _SENDING.setdefault((class_id, day), asyncio.Lock())
    async with lock, unit_of_work(services.sessions) as session:
        await class_marks.lock_list(session, class_id, day)
        yield


def step_key(class_id: uuid.UUID, day: date, participant_id: uuid.UUID, correction: int) -> str:
    """The Idempotency-Key of one person's day on one list (no personal data in it)."""
    return f"class-{class_id}-{day.isoformat()}-{participant_id}-c{correction}"


def action_of(mark: MarkIn, kind: ActivityKind, day: date) -> Action:
    """The pathway's step for a mark on a class of `kind`."""
    if mark.mark is Mark.PRESENT:
        assert mark.hours is not None
        if kind is ActivityKind.PSU:
            return RecordPsuHours(type="record_psu_hours", hours=mark.hours, occurred_on=day)
        return RecordAttendance(
            type="record_attendance", hours=mark.hours, kind=attendance_kind(kind), occurred_on=day
        )
    if mark.mark is Mark.ABSENT:
        assert mark.absence is not None
        return RecordAbsence(type="record_absence", kind=mark.absence, occurred_on=day)
    return GrantDayOff(type="grant_day_off", occurred_on=day)


def correction_of(
    mark: MarkIn, kind: ActivityKind, day: date, reason: str, corrects: int | None, was: str
) -> CorrectDay | None:
    """A day's changed mark on a corrected list: `correct_day`, superseding the step the
    earlier mark (`was`) stood as (its seq; a mark of before that was kept corrects the whole
    day). On a PSU class, present is the day's PSU hours, a record apart from its attendance:
    a change between the two is no correction of either (None: the new mark's own step)."""
    psu = kind is ActivityKind.PSU
    if psu and (mark.mark is Mark.PRESENT) != (was == Mark.PRESENT.value):
        return None
    present = mark.mark is Mark.PRESENT
    return CorrectDay(
        type="correct_day",
        occurred_on=day,
        mark=DayMark.PSU if psu and present else DayMark(mark.mark.value),
        hours=mark.hours,
        kind=attendance_kind(kind) if present and not psu else None,
        absence=mark.absence,
        reason=reason,
        corrects=corrects,
    )


async def record_list(
    services: Services, caller: Caller, class_id: uuid.UUID, body: AttendanceListIn
) -> AttendanceListOut:
    """Record a class's list for a day; who was recorded, and who was not and why."""
    ids = [m.participant_id for m in body.marks]
    if len(set(ids)) != len(ids):
        raise InvalidInput("participant_twice", "Each person appears once on a list.")
    async with one_list_at_a_time(services, class_id, body.day):
        return await _record_list(services, caller, class_id, body, ids)


async def _record_list(
    services: Services,
    caller: Caller,
    class_id: uuid.UUID,
    body: AttendanceListIn,
    ids: list[uuid.UUID],
) -> AttendanceListOut:
    async with services.sessions() as session:
        row = await groups.class_in_unit(session, caller.unit_id, class_id)
        own_class(caller, row, await taught_by(session, caller))
        plan = planned(row)
        held = class_days([plan], body.day, body.day)
        if not held:
            raise InvalidInput("not_a_class_day", "The class is not held on that day.")
        members = await groups.memberships(session, [row.group_id]) if row.group_id else []
        pathway_of = await groups.open_pathways(session, ids)
        # Sent before by another member of staff (whose keys are theirs): recorded already.
        marked = await class_marks.already_marked(session, class_id, body.day, body.correction)
        # A correction records only what changed: an unchanged mark would be a second event;
        # a changed one supersedes the step the standing mark recorded (its seq).
        earlier = [
            m for m in await class_marks.latest_marks(session, caller.unit_id, body.day, body.day,
                                                      [class_id])
            if m.correction < body.correction
        ]  # fmt: skip
        standing = {m.participant_id: (m.mark, m.hours, m.absence) for m in earlier}
        standing_seq = {m.participant_id: m.step_seq for m in earlier}
    expected = set(
        attendees(
            held[0],
            by_group(
                Membership(group_id=str(m.group_id), participant_id=str(m.participant_id),
                           joined_on=m.joined_on, left_on=m.left_on)
                for m in members
            ),
        )
    )  # fmt: skip
    kind = ActivityKind(row.kind)
    failed: list[NotRecorded] = []
    steps: list[tuple[uuid.UUID, Step]] = []
    for mark in body.marks:
        pid = mark.participant_id
        pathway_id = pathway_of.get(pid)
        absence = mark.absence.value if mark.absence else None
        if str(pid) not in expected:
            failed.append(NotRecorded(
                participant_id=pid, code="not_in_class",
                message="The person is not expected at this class that day.",
            ))  # fmt: skip
        elif pathway_id is None:
            failed.append(NotRecorded(
                participant_id=pid, code="no_open_pathway",
                message="The person has no open pathway.",
            ))  # fmt: skip
        elif pid not in marked and standing.get(pid) != (mark.mark.value, mark.hours, absence):
            key = step_key(class_id, body.day, pid, body.correction)
            action: Action | None = None
            if pid in standing:  # a CIS or KIS day, or a KIS day's PSU hours, corrected
                reason = body.reason or f"correction {body.correction} of the class list"
                action = correction_of(
                    mark, kind, body.day, reason, standing_seq.get(pid), standing[pid][0]
                )
            steps.append((pid, Step(pathway_id, action or action_of(mark, kind, body.day), key)))
    outcomes = await pathway_batches.take_steps(
        services, caller, [s for _, s in steps], CONCURRENT_STEPS
    )
    seqs = dict(standing_seq)
    for (pid, _), outcome in zip(steps, outcomes, strict=True):
        if not isinstance(outcome, StepView):
            failed.append(
                NotRecorded(participant_id=pid, code=outcome.code, message=outcome.message)
            )
        elif outcome.timeline:
            seqs[pid] = outcome.timeline[-1].seq  # the step's own event comes last

    failed_ids = {f.participant_id for f in failed}
    done = [m for m in body.marks if m.participant_id not in failed_ids]
    async with unit_of_work(services.sessions) as session:
        await class_marks.write_marks(
            session,
            [
                {
                    "id": uuid.uuid4(), "unit_id": caller.unit_id, "class_id": class_id,
                    "day": body.day, "participant_id": m.participant_id,
                    "correction": body.correction, "mark": m.mark.value, "hours": m.hours,
                    "absence": m.absence.value if m.absence else None,
                    "pathway_id": pathway_of.get(m.participant_id), "recorded_by": caller.id,
                    "step_seq": seqs.get(m.participant_id),
                }
                for m in done
            ],
        )  # fmt: skip
        await audit.append(session, caller.actor, "class.attendance", ["marks"])
    return AttendanceListOut(
        class_id=class_id,
        day=body.day,
        correction=body.correction,
        recorded=[m.participant_id for m in done],
        not_recorded=failed,
    )


async def who_was_here(
    services: Services, caller: Caller, year: int, month: int
) -> list[PresentRow]:
    """The month's standing marks of the unit's lists (the latest correction of each)."""
    first, last = month_bounds(year, month)
    async with services.sessions() as session:
        rows = await class_marks.standing_rows(session, caller.unit_id, first, last)
    # Rows the database gave, of its own types: built without validating each again.
    return [
        PresentRow.model_construct(
            participant_id=pid, day=day, class_id=cid, mark=Mark(mark), hours=hours,
            absence=AbsenceKind(absence) if absence else None,
        )
        for pid, day, cid, mark, hours, absence in rows
    ]  # fmt: skip
