"""Correcting a day (issues 14 and 15): `correct_day`, a new event that supersedes a mark.

A day marked sick and then found to be a day present is corrected, never overwritten: the
correction is its own step, dated on the day it corrects (however long after the last step), by
the rules of that day; the earlier mark stays in the timeline, shown as corrected, and every rule
reads the day's standing mark (domain/day_marks.py). Who may correct is who may take the steps
involved: the new mark's step and the superseded marks' (a day off is the head's).

A KIS day is corrected the same way (present or absent; the KIS has no days off, no weekly
hours and no abandonment streak), and so are a KIS day's PSU hours, apart from its attendance
(`psu`): the corrected hours are held to the PSU caps of the law of that day (domain/psu.py,
`law_parameters.PSU_PARAMETERS`), refused over them with the numbers; a correction that lowers
the hours is never refused. A pathway referred from its KIS to a CIS keeps its KIS days: one of
them (up to the KIS's completion, or before the referral; `last_kis_day`) is corrected as the
KIS's, and the reports file it in the KIS's month (domain/report_rows.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.actions import AbsenceKind, AttendanceKind, CorrectDay, DayMark
from domain.attendance import week_hours
from domain.benefits import participation_days, trial_ends_on
from domain.day_marks import MARK_STEPS, PSU_STEPS, STEP_OF_MARK, standing_marks
from domain.deadlines import drop_deadlines, set_deadline
from domain.errors import Conflict, InvalidInput, StepNotAllowed
from domain.pathway import DeadlineKind, Effect, Event, Guard, PathwayState
from domain.psu import caps_on, check_hours


def targets(state: PathwayState, action: CorrectDay, on: date) -> list[Event]:
    """The standing marks of the day the correction supersedes (one by seq, else all; none for
    a day never marked, which the correction marks late)."""
    family = PSU_STEPS if action.mark is DayMark.PSU else MARK_STEPS
    of_day = [e for e in standing_marks(state.timeline, family) if e.occurred_on == on]
    if action.corrects is not None:
        of_day = [e for e in of_day if e.seq == action.corrects]
        if not of_day:
            raise InvalidInput(
                "no_such_mark",
                f"Step {action.corrects} is not a standing mark of {on}.",
                {"corrects": action.corrects, "day": on.isoformat()},
            )
    return of_day  # none: a day the lists missed, marked late (it supersedes nothing)


def steps_involved(state: PathwayState, action: CorrectDay) -> set[str]:
    """The steps whose roles a correction needs: the new mark's and the superseded ones'."""
    assert action.occurred_on is not None
    try:
        replaced = targets(state, action, action.occurred_on)
    except InvalidInput:
        replaced = []  # refused by the effect with its reason
    return {STEP_OF_MARK[action.mark], *(e.type for e in replaced)}


def beyond_cis(state: PathwayState, action: CorrectDay) -> bool:
    """Whether a correction is of a KIS day or of PSU hours (a later change than the CIS's)."""
    return state.cis is None or action.mark is DayMark.PSU or _kis_day_of(state, action.occurred_on)


def last_kis_day(state: PathwayState) -> date | None:
    """On a pathway referred from its KIS to a CIS, the KIS's last day: its completion, or the
    day before the referral (the referral's day is the CIS's). None without such a KIS."""
    if state.cis is None or state.started_on >= state.cis.referred_on:
        return None
    completed = [e.occurred_on for e in state.timeline if e.type == "complete_kis"]
    return completed[-1] if completed else state.cis.referred_on - timedelta(days=1)


def _kis_day_of(state: PathwayState, on: date | None) -> bool:
    last = last_kis_day(state)
    return on is not None and last is not None and on <= last


def _require_marked_day(state: PathwayState) -> None:
    if state.cis is not None and state.cis.admitted_on is None:
        raise StepNotAllowed("not_admitted", "The participant has not been admitted to a CIS.")


def _correct_day(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    assert isinstance(action, CorrectDay)
    cis = state.cis
    if cis is None:
        return _correct_kis_day(state, action, on, state.exited_on)
    if _kis_day_of(state, on):  # a day of the KIS the pathway had before its CIS
        return _correct_kis_day(state, action, on, last_kis_day(state))
    if action.mark is DayMark.PSU:
        raise InvalidInput("psu_outside_kis", "PSU hours are a KIS activity, not a CIS one.")
    first, last = participation_days(state)
    if not first <= on <= last:
        raise InvalidInput(
            "day_outside_participation",
            f"{on} is not a day of participation ({first} to {last}).",
            {"day": on.isoformat(), "first": first.isoformat(), "last": last.isoformat()},
        )
    replaced = targets(state, action, on)
    step = STEP_OF_MARK[action.mark]
    kind = _kind(action)
    if len(replaced) == 1 and _same(replaced[0], step, action.hours, kind):
        raise InvalidInput("correction_changes_nothing", "The day already stands so.")
    rules = state.rules(on)  # the law of the day corrected
    days_off = cis.days_off - sum(1 for e in replaced if e.type == "grant_day_off")
    if action.mark is DayMark.DAY_OFF:
        if state.day_exact and on < trial_ends_on(state):
            raise StepNotAllowed(
                "day_off_in_trial", "A day off is granted after the trial only (§10)."
            )
        if days_off >= rules.cis_days_off_max:
            raise Conflict(
                "limit_exceeded",
                f"All {rules.cis_days_off_max} days off of the participation are used.",
                {"used": days_off, "max": rules.cis_days_off_max},
            )
        days_off += 1
    cis.days_off = days_off
    data = _mark_anew(state, action, step, kind, replaced)
    if action.mark is DayMark.PRESENT:
        assert action.hours is not None
        week = _week_without(state, on, replaced) + action.hours
        data["week_hours"] = str(week)
        if rules.cis_weekly_hours_max is not None and week > rules.cis_weekly_hours_max:
            data["flag"] = "week_over_maximum"
    _recount_streak(state, replaced, step, kind, on, data)
    return data


def _correct_kis_day(
    state: PathwayState, action: CorrectDay, on: date, last: date | None
) -> dict[str, Any]:
    """A KIS day's attendance, or its PSU hours, corrected (`last`: the KIS's last day, if over)."""
    if on < state.started_on or (last is not None and on > last):
        raise InvalidInput(
            "day_outside_participation",
            f"{on} is not a day of the KIS ({state.started_on} to {last or 'today'}).",
            {"day": on.isoformat(), "first": state.started_on.isoformat(),
             "last": last.isoformat() if last else None},
        )  # fmt: skip
    if action.mark is DayMark.DAY_OFF:
        raise InvalidInput("day_off_outside_cis", "Days off are a CIS participant's (art. 15).")
    replaced = targets(state, action, on)
    step = STEP_OF_MARK[action.mark]
    kind = _kind(action)
    if len(replaced) == 1 and _same(replaced[0], step, action.hours, kind):
        raise InvalidInput("correction_changes_nothing", "The day already stands so.")
    if action.mark is DayMark.PSU:
        assert action.hours is not None
        _check_psu_caps(state, replaced, on, action.hours)
    return _mark_anew(state, action, step, kind, replaced)


def check_psu_step(before: PathwayState, after: PathwayState) -> None:
    """A plain step's PSU hours held to the caps of the law of their day, counting the week's and
    the month's standing PSU hours (refused with the numbers). Checked before an Update is taken,
    never when a history is replayed: a step recorded before this rule stays as it was."""
    logged = [
        (e.occurred_on, Decimal(str(e.data["hours"])))
        for e in standing_marks(before.timeline, PSU_STEPS)
    ]
    for event in after.timeline[len(before.timeline) :]:
        if event.type in PSU_STEPS:
            hours = Decimal(str(event.data["hours"]))
            check_hours(caps_on(event.occurred_on), logged, event.occurred_on, hours)


def _check_psu_caps(state: PathwayState, replaced: list[Event], on: date, hours: Decimal) -> None:
    """Refuse corrected PSU hours that raise the day's and pass the week's or month's cap."""
    gone = {e.seq for e in replaced}
    if hours <= sum((Decimal(str(e.data["hours"])) for e in replaced), Decimal(0)):
        return  # fewer hours than recorded: nearer the cap, never refused
    logged = [
        (e.occurred_on, Decimal(str(e.data["hours"])))
        for e in standing_marks(state.timeline, PSU_STEPS)
        if e.seq not in gone
    ]
    check_hours(caps_on(on), logged, on, hours)


def _mark_anew(
    state: PathwayState, action: CorrectDay, step: str, kind: str | None, replaced: list[Event]
) -> dict[str, Any]:
    """The superseded marks leave the totals, the new one enters them: the event's data."""
    _undo_totals(state, replaced)
    data: dict[str, Any] = {
        "mark": action.mark.value,
        "as": step,
        "reason": action.reason,
        "corrects": [e.seq for e in replaced],
        "replaced": [_was(e) for e in replaced],
    }
    if kind is not None:
        data["kind"] = kind
    if action.mark is DayMark.PRESENT:
        assert action.hours is not None
        state.totals.attendance_days += 1
        state.totals.attendance_hours += action.hours
        data["hours"] = str(action.hours)
    elif action.mark is DayMark.PSU:
        assert action.hours is not None
        state.totals.psu_hours += action.hours
        data["hours"] = str(action.hours)
    elif action.mark is DayMark.ABSENT:
        assert action.absence is not None
        absences = state.totals.absences
        absences[action.absence] = absences.get(action.absence, 0) + 1
    return data


def _was(mark: Event) -> dict[str, Any]:
    kept = {k: str(v) for k, v in mark.data.items() if k in ("hours", "kind")}
    return {"seq": mark.seq, "type": mark.type, **kept}


def _kind(action: CorrectDay) -> str | None:
    if action.mark is DayMark.PRESENT:
        return str(action.kind or AttendanceKind.GROUP)
    if action.mark is DayMark.ABSENT:
        assert action.absence is not None
        return str(action.absence)
    return None


def _same(mark: Event, step: str, hours: Decimal | None, kind: str | None) -> bool:
    if mark.type != step:
        return False
    if step == "record_attendance":
        return Decimal(str(mark.data.get("hours"))) == hours and mark.data.get("kind") == kind
    if step == "record_psu_hours":
        return Decimal(str(mark.data.get("hours"))) == hours
    return step != "record_absence" or mark.data.get("kind") == kind


def _undo_totals(state: PathwayState, replaced: list[Event]) -> None:
    totals = state.totals
    for mark in replaced:
        if mark.type == "record_attendance":
            totals.attendance_days -= 1
            totals.attendance_hours -= Decimal(str(mark.data.get("hours", 0)))
        elif mark.type == "record_psu_hours":
            totals.psu_hours -= Decimal(str(mark.data.get("hours", 0)))
        elif mark.type == "record_absence":
            kind = AbsenceKind(mark.data["kind"])
            left = totals.absences.get(kind, 0) - 1
            if left > 0:
                totals.absences[kind] = left
            else:  # as if never recorded
                totals.absences.pop(kind, None)


def _week_without(state: PathwayState, on: date, replaced: list[Event]) -> Decimal:
    gone = sum(
        (Decimal(str(e.data["hours"])) for e in replaced if e.type == "record_attendance"),
        Decimal(0),
    )
    return week_hours(state, on) - gone


def _recount_streak(
    state: PathwayState,
    replaced: list[Event],
    step: str,
    kind: str | None,
    on: date,
    data: dict[str, Any],
) -> None:
    """The unexcused streak as the standing marks give it now: the unexcused absences since the
    last other mark. Reaching the threshold sets the head's review; falling below drops it."""
    assert state.cis is not None
    gone = {e.seq for e in replaced}
    marks = [(e.occurred_on, e.type, e.data.get("kind")) for e in standing_marks(state.timeline)
             if e.seq not in gone]  # fmt: skip
    marks.append((on, step, kind))
    marks.sort(key=lambda m: m[0])  # stable: the correction after the day's other marks
    streak = 0
    last_day = on
    for day, type_, mark_kind in marks:
        if type_ == "record_absence" and mark_kind == AbsenceKind.UNEXCUSED:
            streak += 1
            last_day = day
        else:
            streak = 0
    threshold = state.rules(last_day).cis_abandonment_threshold_days
    before = state.cis.unexcused_streak
    state.cis.unexcused_streak = streak
    if streak >= threshold:
        if before < threshold:
            set_deadline(state, DeadlineKind.ABANDONMENT_REVIEW, last_day)
            data["flag"] = "abandonment_threshold_reached"
    else:
        drop_deadlines(state, DeadlineKind.ABANDONMENT_REVIEW)


EFFECTS: dict[str, Effect] = {"correct_day": _correct_day}
GUARDS: dict[str, Guard] = {"correct_day": _require_marked_day}
