"""Presence and absence, in the KIS and in the CIS (art. 14, 15; domain.md §2.4, §2.6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.actions import AbsenceKind
from domain.benefits import participation_days
from domain.day_marks import standing_marks
from domain.deadlines import drop_deadlines, set_deadline
from domain.pathway import DeadlineKind, Effect, PathwayState, WeekHours


def _attendance(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.totals.attendance_days += 1
    state.totals.attendance_hours += action.hours
    data: dict[str, Any] = {"hours": str(action.hours), "kind": action.kind}
    if state.cis is not None:
        _end_unexcused_streak(state)
        week = week_hours(state, on) + action.hours
        data["week_hours"] = str(week)
        ceiling = state.rules(on).cis_weekly_hours_max
        if ceiling is not None and week > ceiling:
            # Flagged, not refused: the caseworker records what happened (art. 14).
            data["flag"] = "week_over_maximum"
    return data


def _absence(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    kind = action.kind
    state.totals.absences[kind] = state.totals.absences.get(kind, 0) + 1
    data: dict[str, Any] = {"kind": kind}
    if state.cis is None:
        return data
    if kind is not AbsenceKind.UNEXCUSED:
        _end_unexcused_streak(state)
        return data
    state.cis.unexcused_streak += 1
    if state.cis.unexcused_streak == state.rules(on).cis_abandonment_threshold_days:
        # Permanent abandonment (art. 13 ust. 4 pkt 2) is the head's decision, never automatic.
        set_deadline(state, DeadlineKind.ABANDONMENT_REVIEW, on)
        data["flag"] = "abandonment_threshold_reached"
    return data


def _end_unexcused_streak(state: PathwayState) -> None:
    assert state.cis is not None
    state.cis.unexcused_streak = 0
    drop_deadlines(state, DeadlineKind.ABANDONMENT_REVIEW)


def week_hours(state: PathwayState, day: date) -> Decimal:
    """Hours of attendance standing in the ISO week of `day` (corrections applied)."""
    week = day.isocalendar()[:2]
    return sum(
        (
            Decimal(e.data["hours"])
            for e in standing_marks(state.timeline)
            if e.type == "record_attendance" and e.occurred_on.isocalendar()[:2] == week
        ),
        Decimal(0),
    )


def weeks_outside_hours(state: PathwayState, today: date) -> list[WeekHours]:
    """Finished, whole weeks in the centre below the minimum or above the maximum hours.

    A week with an absence or a day off is not called short: how such days count against the
    minimum is [V] in domain.md, so only unexplained short weeks are flagged.
    """
    cis = state.cis
    if cis is None or cis.admitted_on is None:
        return []
    first_monday = cis.admitted_on + timedelta(days=(7 - cis.admitted_on.weekday()) % 7)
    after_last = participation_days(state)[1] + timedelta(days=1)
    stops = [today, after_last, state.exited_on, cis.job_started_on]
    stop = min(d for d in stops if d is not None)
    hours: dict[date, Decimal] = {}
    excused: set[date] = set()
    for event in standing_marks(state.timeline):
        monday = event.occurred_on - timedelta(days=event.occurred_on.weekday())
        if event.type == "record_attendance":
            hours[monday] = hours.get(monday, Decimal(0)) + Decimal(event.data["hours"])
        elif event.type in ("record_absence", "grant_day_off"):
            excused.add(monday)
    flags = []
    monday = first_monday
    while monday + timedelta(days=7) <= stop:
        rules = state.rules(monday)  # the week's own law (30-40 h since 15 Feb 2022)
        if rules.cis_weekly_hours_min is None:
            monday += timedelta(days=7)
            continue
        total = hours.get(monday, Decimal(0))
        label = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
        if rules.cis_weekly_hours_max is not None and total > rules.cis_weekly_hours_max:
            flags.append(WeekHours(week=label, hours=total, flag="week_over_maximum"))
        elif total < rules.cis_weekly_hours_min and monday not in excused:
            flags.append(WeekHours(week=label, hours=total, flag="week_under_minimum"))
        monday += timedelta(days=7)
    return flags


EFFECTS: dict[str, Effect] = {"record_attendance": _attendance, "record_absence": _absence}
