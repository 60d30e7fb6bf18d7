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

from sqlalchemy.ext.asyncio import AsyncSession

from db import audit, idempotency, payroll, units
from db.month_end_models import PayrollClosure
from db.session import unit_of_work
from domain.calendar import local_date
from domain.errors import InvalidInput, StepNotAllowed
from domain.payroll import (
    Payroll,
    month_last_day,
    month_name,
    parse_month,
    totals,
)
from services import payroll_lines
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
        # What the month is computed from, counted first: a fact projected while the month is
        # read is then either in the statements or missing from these counts (and paid later as
        # an adjustment), never counted as seen without being paid.
        last = month_last_day(first)
        seen = await payroll.event_counts(session, caller.unit_id, first, last)
        found = await compute(session, caller.unit_id, first, today)
        if found.missing_days:
            incomplete = [line.pathway_id for line in found.lines if line.missing]
            raise StepNotAllowed(
                "payroll_incomplete",
                f"{found.missing_days} working days have no record yet.",
                {"missing_days": found.missing_days, "pathways": incomplete},
            )
        snapshot = found.model_dump(mode="json")
        # A fact projected after closing (even one recorded before it) changes these counts, and
        # is paid as an adjustment, never lost.
        snapshot["seen"] = seen
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
    lines = await payroll_lines.lines_of(session, unit_id, first, today, caseload_of)
    carried = await payroll_lines.adjustments_of(session, unit_id, first, today, caseload_of)
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
