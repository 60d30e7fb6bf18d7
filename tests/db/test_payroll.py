"""Closed months and their adjustments over several months, on the read model directly: a late
change is carried by the first open month after the closed one, and what a later closed month
already carried is never paid twice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import payroll as payroll_db
from db.models import Pathway, PathwayEvent, PathwayReportRow, User
from db.session import unit_of_work
from domain.pathway import Event
from domain.payroll import Payroll
from domain.public_holidays import is_day_off
from domain.refunds import employer_refund
from domain.roles import Role
from services.context import Caller, Services
from services.payroll import close_month, compute
from tests.db.rows import cis_with_people

OCT, NOV, DEC = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)
TODAY = date(2027, 1, 15)  # every month here is over
BEFORE = datetime(2026, 10, 1, 8, tzinfo=UTC)


async def _cis(sessions: async_sessionmaker[AsyncSession]) -> tuple[uuid.UUID, uuid.UUID]:
    """A unit with one participant in the main period, every working day Oct-Dec present."""
    person, pathway = uuid.uuid4(), uuid.uuid4()
    days = [OCT + timedelta(days=n) for n in range(92)]
    async with unit_of_work(sessions) as session:
        unit = user = await cis_with_people(session, [person])
        await session.execute(insert(Pathway), [{"id": pathway, "participant_id": person,
                              "unit_id": unit, "caseworker_id": user, "programme": "cis",
                              "started_on": date(2026, 3, 2), "stage": "cis_main"}])  # fmt: skip
        await session.execute(insert(PathwayReportRow), [{"pathway_id": pathway,
                              "cis_entered_on": date(2026, 3, 2),
                              "cis_admitted_on": date(2026, 3, 2),
                              "trial_passed_on": date(2026, 3, 27)}])  # fmt: skip
        working = [d for d in days if not is_day_off(d)]
        await session.execute(
            insert(PathwayEvent),
            [{"pathway_id": pathway, "seq": n, "type": "record_attendance", "occurred_on": d,
              "actor": "cw", "recorded_at": BEFORE, "data": {"hours": "7", "kind": "group"}}
             for n, d in enumerate(working, 1)],
        )  # fmt: skip
    return unit, pathway


async def _late(
    sessions: async_sessionmaker[AsyncSession],
    pathway: uuid.UUID,
    seq: int,
    on: date,
    recorded_at: datetime | None = None,
) -> None:
    async with unit_of_work(sessions) as session:
        await session.execute(
            insert(PathwayEvent),
            [{"pathway_id": pathway, "seq": seq, "type": "record_absence", "occurred_on": on,
              "actor": "cw", "recorded_at": recorded_at or datetime.now(UTC),
              "data": {"kind": "unexcused"}}],
        )  # fmt: skip


async def _look(
    sessions: async_sessionmaker[AsyncSession], unit: uuid.UUID, month: date
) -> Payroll:
    async with sessions() as session:
        return await compute(session, unit, month, TODAY)


async def _close(sessions: async_sessionmaker[AsyncSession], unit: uuid.UUID, month: date) -> None:
    found = await _look(sessions, unit, month)
    assert found.missing_days == 0 and found.can_close
    user = uuid.uuid4()
    async with unit_of_work(sessions) as session:
        await session.execute(insert(User), [{"id": user, "username": f"head-{user.hex[:8]}",
                                               "password_hash": "-", "role": "supervisor",
                                               "unit_id": unit}])  # fmt: skip
        snapshot = found.model_dump(mode="json")
        last = month + timedelta(days=40)
        snapshot["seen"] = await payroll_db.event_counts(
            session, unit, month, last.replace(day=1) - timedelta(days=1)
        )
        await payroll_db.close(
            session, unit, month, user, "kierownik", found.totals.total, snapshot
        )


async def test_late_changes_are_carried_once_by_the_first_open_month(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit, pathway = await _cis(sessions)
    await _close(sessions, unit, OCT)
    paid_october = (await _look(sessions, unit, OCT)).lines[0].statement.total

    # 30 October was an unexcused absence: November carries it, December does not yet.
    await _late(sessions, pathway, 1000, date(2026, 10, 30))
    november = await _look(sessions, unit, NOV)
    [first] = november.adjustments
    assert (first.for_month, first.paid_then) == ("2026-10", paid_october)
    assert first.amount < 0 and first.reasons[0].startswith("record_absence (unexcused)")
    assert (await _look(sessions, unit, DEC)).adjustments == []
    assert november.totals.total == november.totals.statements + first.amount

    # November closes with it; a second late change to October goes to December, counting
    # what November already carried.
    await _close(sessions, unit, NOV)
    assert (await _look(sessions, unit, DEC)).adjustments == []
    await _late(sessions, pathway, 1001, date(2026, 10, 29))
    [second] = (await _look(sessions, unit, DEC)).adjustments
    assert second.paid_then == paid_october + first.amount
    assert second.amount == second.due_now - second.paid_then
    assert second.amount < 0
    # October itself never moved, and what was paid for it adds up to what is due now.
    assert (await _look(sessions, unit, OCT)).lines[0].statement.total == paid_october
    assert paid_october + first.amount + second.amount == second.due_now
    assert second.due_now >= Decimal(0)


async def test_a_record_made_before_closing_but_projected_after_it_is_not_lost(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit, pathway = await _cis(sessions)
    await _close(sessions, unit, OCT)
    # Recorded on 30 October (before the close), reaching the read model only now.
    await _late(sessions, pathway, 1000, date(2026, 10, 30), BEFORE)
    [carried] = (await _look(sessions, unit, NOV)).adjustments
    assert carried.amount < 0
    assert carried.reasons == ["a record of the month reached the payroll after it was closed"]


async def test_a_late_record_projected_while_the_adjustment_is_read_is_named(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read sees what was committed when it ran (SQLite, and PostgreSQL's read committed):
    a record projected after the late records were read but before the lines is still named."""
    unit, pathway = await _cis(sessions)
    await _close(sessions, unit, OCT)
    counts = payroll_db.event_counts

    async def projected_meanwhile(*args: Any) -> dict[str, int]:
        await _late(sessions, pathway, 1000, date(2026, 10, 30))
        return await counts(*args)

    monkeypatch.setattr(payroll_db, "event_counts", projected_meanwhile)
    [carried] = (await _look(sessions, unit, NOV)).adjustments
    assert carried.amount < 0
    assert carried.reasons[0].startswith("record_absence (unexcused) on 2026-10-30")


async def test_a_record_projected_while_the_month_closes_is_paid_later_not_lost(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The close reads the month's facts, then freezes them with the counts it saw: a record
    projected in between must not be counted as seen without being in the statements."""
    unit, pathway = await _cis(sessions)
    async with sessions() as session:
        head = (await session.execute(select(User.id).where(User.unit_id == unit))).scalar_one()
    events_of, projected = payroll_db.events_of, list[int]()

    async def projected_meanwhile(*args: Any) -> dict[uuid.UUID, list[Event]]:
        found = await events_of(*args)
        if not projected:  # recorded on 30 October, reaching the read model just now
            await _late(sessions, pathway, 1000, date(2026, 10, 30), BEFORE)
            projected.append(1000)
        return found

    monkeypatch.setattr(payroll_db, "events_of", projected_meanwhile)
    services = cast(Services, SimpleNamespace(sessions=sessions))
    caller = Caller(id=head, username="kierownik", role=Role.SUPERVISOR, unit_id=unit)
    closed = await close_month(services, caller, "2026-10")
    monkeypatch.undo()
    assert projected and closed.status == "closed"
    [carried] = (await _look(sessions, unit, NOV)).adjustments
    assert carried.amount < 0 and carried.for_month == "2026-10"


async def test_the_units_employer_agreements_give_the_months_refund_tier(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit, pathway = await _cis(sessions)
    async with unit_of_work(sessions) as session:
        await session.execute(
            insert(PathwayEvent),
            [{"pathway_id": pathway, "seq": 999, "type": "record_employer_agreement",
              "occurred_on": date(2026, 7, 15), "actor": "cw", "recorded_at": BEFORE,
              "data": {"employer": "Stolarnia"}}],
        )  # fmt: skip
    async with sessions() as session:
        found = await payroll_db.employer_agreements(session, unit, date(2026, 10, 31))
        assert [(p, on) for p, _, on in found] == [(pathway, date(2026, 7, 15))]
        assert await payroll_db.employer_agreements(session, unit, date(2026, 6, 30)) == []
    refund = employer_refund(str(pathway), None, date(2026, 7, 15), OCT)
    assert refund is not None and (refund.month_of_employment, refund.tier_pct) == (4, Decimal(100))


async def test_a_correction_s_reason_is_the_adjustment_s_and_erasure_forgets_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    unit, pathway = await _cis(sessions)
    await _close(sessions, unit, OCT)
    # 30 October (seq 22, its attendance) corrected to a sick day after October closed.
    async with unit_of_work(sessions) as session:
        attended = await session.get(PathwayEvent, (pathway, 22))
        assert attended is not None and attended.occurred_on == date(2026, 10, 30)
        await session.execute(
            insert(PathwayEvent),
            [{"pathway_id": pathway, "seq": 1000, "type": "correct_day",
              "occurred_on": date(2026, 10, 30), "actor": "cw", "recorded_at": datetime.now(UTC),
              "data": {"mark": "absent", "as": "record_absence", "kind": "sick",
                       "reason": "zwolnienie lekarskie doniesione", "corrects": [22],
                       "replaced": [{"seq": 22, "type": "record_attendance", "hours": "7",
                                     "kind": "group"}]}}],
        )  # fmt: skip
    [adjustment] = (await _look(sessions, unit, NOV)).adjustments
    assert adjustment.amount < 0
    assert "zwolnienie lekarskie doniesione" in adjustment.reasons[0]
    assert "(was record_attendance (group))" in adjustment.reasons[0]
    await _close(sessions, unit, NOV)
    async with unit_of_work(sessions) as session:
        await payroll_db.forget_reasons(session, [pathway])
    async with sessions() as session:
        closed = await payroll_db.closure(session, unit, NOV)
        assert closed is not None
        assert [a["reasons"] for a in closed.snapshot["adjustments"]] == [["erased"]]
        assert closed.snapshot["adjustments"][0]["amount"] == str(adjustment.amount)
