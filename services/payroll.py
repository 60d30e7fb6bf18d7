"""The month's payroll of a CIS: look at it, close it (the supervisor), export it.

Read from the read model only (never Temporal): the statements are `domain.benefits`' own,
rebuilt from the projected facts. Closing stores the payroll as it was (ids and amounts, no
names); a later change to a closed month is an adjustment in the first open month after it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, idempotency, payroll, units
from db.month_end_models import PayrollClosure
from db.session import unit_of_work
from domain.calendar import add_months, local_date
from domain.errors import InvalidInput, StepNotAllowed
from domain.payroll import (
    PAYROLL_EVENTS,
    Adjustment,
    Payroll,
    PayrollLine,
    adjustment,
    cis_state,
    late_reason,
    month_last_day,
    month_name,
    parse_month,
    payroll_line,
    totals,
)
from services.context import Caller, Services
from services.payroll_files import payroll_csv, payroll_xlsx
from services.report_files import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE


@dataclass(frozen=True)
class PayrollFile:
    """The payroll as a file to download."""

    name: str
    media_type: str
    content: bytes | str


async def month_payroll(services: Services, caller: Caller, month: str) -> Payroll:
    """The unit's payroll of `month` (`YYYY-MM`): as closed, or as it stands; audited as a read."""
    first = begun(parse_month(month))
    async with unit_of_work(services.sessions) as session:
        found = await compute(session, caller.unit_id, first, _today(), caller.caseload_of)
        await audit.append(session, caller.actor, "payroll.view", [f"month:{month_name(first)}"])
        await name_lines(session, found)
    return found


async def close_month(
    services: Services, caller: Caller, month: str, idempotency_key: str | None = None
) -> Payroll:
    """Close the month: refused while a day is missing or before the month is over; audited.
    With an `Idempotency-Key` a retry gets the first answer (names as they are now)."""
    first = begun(parse_month(month))
    today = _today()
    if month_last_day(first) >= today:
        raise StepNotAllowed("month_not_over", "A month is closed after its last day.")
    request_hash = hashlib.sha256(f"payroll.close:{caller.unit_id}:{first}".encode()).hexdigest()
    async with unit_of_work(services.sessions) as session:
        if idempotency_key:
            earlier = await idempotency.idempotent_answer(session, caller.id, idempotency_key)
            if earlier is not None:
                if earlier.request_hash != request_hash:
                    raise InvalidInput(
                        "idempotency_key_reused",
                        "This Idempotency-Key was used for a different request.",
                    )
                again = Payroll.model_validate(earlier.body)
                await name_lines(session, again)
                return again
        if await payroll.closure(session, caller.unit_id, first) is not None:
            raise StepNotAllowed("payroll_closed", "The month is already closed.")
        found = await compute(session, caller.unit_id, first, today)
        if found.missing_days:
            incomplete = [line.pathway_id for line in found.lines if line.missing]
            raise StepNotAllowed(
                "payroll_incomplete",
                f"{found.missing_days} working days have no record yet.",
                {"missing_days": found.missing_days, "pathways": incomplete},
            )
        snapshot = found.model_dump(mode="json")
        # What the month was computed from: a fact projected after closing (even one recorded
        # before it) changes these counts, and is paid as an adjustment, never lost.
        last = month_last_day(first)
        snapshot["seen"] = await payroll.event_counts(session, caller.unit_id, first, last)
        closed = await payroll.close(
            session,
            caller.unit_id,
            first,
            caller.id,
            caller.username,
            found.totals.total,
            snapshot,
        )
        fields = [f"month:{month_name(first)}", f"total:{found.totals.total}"]
        await audit.append(session, caller.actor, "payroll.close", fields)
        result = _frozen(closed, found.unit_code)
        if idempotency_key:
            body = result.model_dump(mode="json")
            await idempotency.remember_answer(
                session, caller.id, idempotency_key, request_hash, 200, body
            )
        await name_lines(session, result)
    return result


async def export(services: Services, caller: Caller, month: str, chosen: str) -> PayrollFile:
    """The payroll as CSV or XLSX for the accounting system; audited (who took which month)."""
    first = begun(parse_month(month))
    async with unit_of_work(services.sessions) as session:
        found = await compute(session, caller.unit_id, first, _today())
        fields = [f"month:{month_name(first)}", f"format:{chosen}", f"status:{found.status}"]
        await audit.append(session, caller.actor, "payroll.export", fields)
        await name_lines(session, found)
    name = f"payroll-{found.unit_code}-{found.month}"
    if chosen == "xlsx":
        return PayrollFile(f"{name}.xlsx", XLSX_MEDIA_TYPE, payroll_xlsx(found))
    return PayrollFile(f"{name}.csv", CSV_MEDIA_TYPE, payroll_csv(found))


async def compute(
    session: AsyncSession,
    unit_id: uuid.UUID,
    first: date,
    today: date,
    caseload_of: uuid.UUID | None = None,
) -> Payroll:
    """The month as closed, else as the facts say now (with the adjustments it carries)."""
    code = await units.unit_code(session, unit_id)
    closed = await payroll.closure(session, unit_id, first)
    if closed is not None:
        frozen = _frozen(closed, code)
        if caseload_of is None:
            return frozen
        return await _caseload(session, frozen, unit_id, first, caseload_of)
    lines = await _lines(session, unit_id, first, today, caseload_of)
    carried = await _adjustments(session, unit_id, first, today, caseload_of)
    missing = sum(len(line.missing) for line in lines)
    return Payroll(
        unit_code=code,
        month=month_name(first),
        status="open",
        lines=lines,
        adjustments=carried,
        totals=totals(lines, carried),
        missing_days=missing,
        can_close=missing == 0 and month_last_day(first) < today,
    )


async def _lines(
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


async def _adjustments(
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
            for line in await _lines(session, unit_id, closed.month, today, caseload_of, ids)
        }
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


def _frozen(closed: PayrollClosure, code: str) -> Payroll:
    snapshot = dict(closed.snapshot)
    snapshot.update(
        unit_code=code,
        status="closed",
        closed_at=closed.closed_at,
        closed_by=closed.closed_by_name,
        can_close=False,
    )
    return Payroll.model_validate(snapshot)


async def _caseload(
    session: AsyncSession,
    frozen: Payroll,
    unit_id: uuid.UUID,
    first: date,
    caseload_of: uuid.UUID,
) -> Payroll:
    """A closed month as a caseworker limited to their caseload sees it."""
    mine = await payroll.cis_subjects(session, unit_id, first, month_last_day(first), caseload_of)
    ids = {str(s.pathway_id) for s in mine}
    lines = [line for line in frozen.lines if line.pathway_id in ids]
    carried = [a for a in frozen.adjustments if a.pathway_id in ids]
    return frozen.model_copy(
        update={"lines": lines, "adjustments": carried, "totals": totals(lines, carried)}
    )


async def name_lines(session: AsyncSession, found: Payroll) -> None:
    """Put the participants' names (as the register has them now) on the lines."""
    people = [line.participant_id for line in found.lines]
    people += [a.participant_id for a in found.adjustments]
    ids = {uuid.UUID(p) for p in people if p}
    names = await payroll.names_of(session, sorted(ids, key=str))
    for line in found.lines:
        line.name = names.get(line.participant_id)
    for carried in found.adjustments:
        carried.name = names.get(carried.participant_id)
    found.lines.sort(key=lambda line: (line.name or "", line.pathway_id))


def begun(first: date) -> date:
    """The month starting `first`, refused (422) if it has not begun."""
    if first > _today():
        raise InvalidInput("month_in_future", "A payroll is of a month that has begun.")
    return first


def _today() -> date:
    return local_date(datetime.now(UTC))
