"""The standing mark of each CIS day: the latest word on it (issue 14/15's corrections).

A day is marked by `record_attendance`, `record_absence` or `grant_day_off`; a `correct_day`
step later supersedes some of those marks with a new one. Events never change: the corrected
mark stays in the timeline, and the rules (the benefit, the hours, abandonment, sick spells, the
payroll's days) read the standing marks instead, where a correction stands as the step it says.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.pathway import Event

MARK_STEPS = frozenset({"record_attendance", "record_absence", "grant_day_off"})
# A KIS day's PSU hours are a record of their own beside its attendance: corrected apart.
PSU_STEPS = frozenset({"record_psu_hours"})
CORRECTION = "correct_day"
# What a correction's mark stands for.
STEP_OF_MARK = {
    "present": "record_attendance",
    "absent": "record_absence",
    "day_off": "grant_day_off",
    "psu": "record_psu_hours",
}


def mark_data(step: str, hours: Any, kind: Any) -> dict[str, Any]:
    """A mark's data as the step it stands for records it (hours and kind as strings)."""
    if step == "record_attendance":
        return {"hours": str(hours), "kind": str(kind)}
    if step == "record_absence":
        return {"kind": str(kind)}
    if step == "record_psu_hours":
        return {"hours": str(hours)}
    return {}


def standing_marks(timeline: Iterable[Event], steps: frozenset[str] = MARK_STEPS) -> list[Event]:
    """The marks no later correction superseded, by day then seq; a correction appears as the
    step it stands for (its own seq, day, actor and the mark's data). `steps`: the day's marks
    (the default) or its PSU hours (`PSU_STEPS`)."""
    standing: dict[int, Event] = {}
    for event in timeline:
        if event.type in steps:
            standing[event.seq] = event
        elif event.type == CORRECTION and event.data.get("as") in steps:  # (erasure: no data)
            for seq in event.data.get("corrects", []):
                standing.pop(seq, None)
            step = event.data["as"]
            standing[event.seq] = Event(
                seq=event.seq,
                type=step,
                occurred_on=event.occurred_on,
                actor=event.actor,
                recorded_at=event.recorded_at,
                data={**mark_data(step, event.data.get("hours"), event.data.get("kind")),
                      "correction": True},
            )  # fmt: skip
    return sorted(standing.values(), key=lambda e: (e.occurred_on, e.seq))


def corrected_by(timeline: Iterable[Event]) -> dict[int, int]:
    """Each superseded mark's seq -> the seq of the correction that superseded it."""
    found: dict[int, int] = {}
    for event in timeline:
        if event.type == CORRECTION:
            for seq in event.data.get("corrects", []):
                found[seq] = event.seq
    return found
