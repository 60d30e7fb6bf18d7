"""The payroll's computation over the read model: a month's lines, and the adjustments of
closed months it carries (the use cases are in services/payroll.py)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import payroll
from domain.calendar import add_months
from domain.payroll import (
    PAYROLL_EVENTS,
    Adjustment,
    PayrollLine,
    adjustment,
    cis_state,
    late_reason,
    month_last_day,
    payroll_line,
)


async def lines_of(
    session: AsyncSession,
    unit_id: uuid.UUID,
    first: date,
    today: date,
    caseload_of: uuid.UUID | None = None,
    pathway_ids: list[uuid.UUID] | None = None,
) -> list[PayrollLine]:
    last = month_last_day(first)
    subjects = await payroll.cis_subjects(session, unit_id, first, last, caseload_of, pathway_ids)
    subjects = [s for s in subjects if not s.erased]
    events = await payroll.events_of(
        session, [s.pathway_id for s in subjects], PAYROLL_EVENTS, first, last
    )
    lines = []
    for s in subjects:
        state = cis_state(s.row, str(s.pathway_id), str(s.participant_id), events[s.pathway_id])
        line = payroll_line(state, first, today)
        if line is not None:
            lines.append(line)
    return lines


async def adjustments_of(
    session: AsyncSession,
    unit_id: uuid.UUID,
    first: date,
    today: date,
    caseload_of: uuid.UUID | None,
) -> list[Adjustment]:
    """Changes to closed months that this month is the first open one after."""
    closures = await payroll.closures_before(session, unit_id, first)
    closed_months = {c.month for c in closures}
    out: list[Adjustment] = []
    for closed in closures:
        between = _months_between(closed.month, first)
        if any(m not in closed_months for m in between):
            continue  # an earlier open month carries it
        paid = _paid(closed.snapshot, [c.snapshot for c in closures if c.month in between])
        last = month_last_day(closed.month)
        late = await payroll.late_events(session, unit_id, closed.month, last, closed.closed_at)
        # Only what changed is recomputed: late records, facts that reached the read model
        # after closing, and months already adjusted once.
        seen = closed.snapshot.get("seen", {})
        counts = await payroll.event_counts(session, unit_id, closed.month, last)
        moved = {uuid.UUID(p) for p, n in counts.items() if n != seen.get(p, 0)}
        again = {
            uuid.UUID(a["pathway_id"])
            for c in closures
            if c.month in between
            for a in c.snapshot["adjustments"]
            if a["for_month"] == closed.snapshot["month"]
        }
        ids = sorted({*late, *again, *moved}, key=str)
        if not ids:
            continue
        now = {
            line.pathway_id: line
            for line in await lines_of(session, unit_id, closed.month, today, caseload_of, ids)
        }
        # Each read sees what was committed when it ran: read the late records again after the
        # lines, so that a record projected in between is named, not only counted.
        late = await payroll.late_events(session, unit_id, closed.month, last, closed.closed_at)
        participants = _participants(closed.snapshot)
        for pathway_id in ids:
            key = str(pathway_id)
            line = now.get(key)
            participant = line.participant_id if line else participants.get(key, "")
            if caseload_of is not None and line is None:
                continue
            reasons = [late_reason(e) for e in late.get(pathway_id, [])]
            found = adjustment(
                line,
                paid.get(key, (Decimal(0), Decimal(0))),
                key,
                participant,
                closed.snapshot["month"],
                reasons,
            )
            if found is not None:
                out.append(found)
    return out


def _paid(
    snapshot: dict[str, Any], later: list[dict[str, Any]]
) -> dict[str, tuple[Decimal, Decimal]]:
    """What was paid for the closed month, per pathway (total, bonus): its statements and the
    adjustments later months carried for it."""
    paid = {
        line["pathway_id"]: (
            Decimal(line["statement"]["total"]),
            Decimal(line["statement"]["bonus"]),
        )
        for line in snapshot["lines"]
    }
    for carried in later:
        for a in carried["adjustments"]:
            if a["for_month"] == snapshot["month"]:
                total, bonus = paid.get(a["pathway_id"], (Decimal(0), Decimal(0)))
                change = Decimal(a.get("bonus_change", "0"))
                paid[a["pathway_id"]] = (total + Decimal(a["amount"]), bonus + change)
    return paid


def _participants(snapshot: dict[str, Any]) -> dict[str, str]:
    return {line["pathway_id"]: line["participant_id"] for line in snapshot["lines"]}


def _months_between(earlier: date, later: date) -> list[date]:
    months = []
    month = add_months(earlier, 1)
    while month < later:
        months.append(month)
        month = add_months(month, 1)
    return months
