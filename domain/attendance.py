"""Presence and absence, in the KIS and in the CIS (art. 14, 15; domain.md §2.4, §2.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.actions import AbsenceKind
from domain.deadlines import drop_deadlines, set_deadline
from domain.pathway import DeadlineKind, Effect, PathwayState


def _attendance(state: PathwayState, action: Any, on: date) -> dict[str, Any]:
    state.totals.attendance_days += 1
    state.totals.attendance_hours += action.hours
    data: dict[str, Any] = {"hours": str(action.hours), "kind": action.kind}
    if state.cis is not None:
        _end_unexcused_streak(state)
        week = week_hours(state, on) + action.hours
        data["week_hours"] = str(week)
        ceiling = state.rulebook.cis_weekly_hours_max
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
    if state.cis.unexcused_streak == state.rulebook.cis_abandonment_threshold_days:
        # Permanent abandonment (art. 13 ust. 4 pkt 2) is the head's decision, never automatic.
        set_deadline(state, DeadlineKind.ABANDONMENT_REVIEW, on)
        data["flag"] = "abandonment_threshold_reached"
    return data


def _end_unexcused_streak(state: PathwayState) -> None:
    assert state.cis is not None
    state.cis.unexcused_streak = 0
    drop_deadlines(state, DeadlineKind.ABANDONMENT_REVIEW)


def week_hours(state: PathwayState, day: date) -> Decimal:
    """Hours of attendance already recorded in the ISO week of `day`."""
    week = day.isocalendar()[:2]
    return sum(
        (
            Decimal(e.data["hours"])
            for e in state.timeline
            if e.type == "record_attendance" and e.occurred_on.isocalendar()[:2] == week
        ),
        Decimal(0),
    )


EFFECTS: dict[str, Effect] = {"record_attendance": _attendance, "record_absence": _absence}
