"""The reports' projection on the real database: idempotent, batch by batch, and backfilled."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import PathwayEvent, PathwayMonth, PathwayReportRow
from db.report_rows import project_report_rows, refresh_report_rows
from db.session import unit_of_work
from tests.db.report_seed import new_unit
from tests.domain.test_report_rows import KIS_THEN_CIS


async def _pathway_with_events(sessions: async_sessionmaker[AsyncSession], upto: int) -> uuid.UUID:
    async with unit_of_work(sessions) as session:
        seeder = await new_unit(session)
        pathway_id = seeder.pathway(seeder.person(), "kis", "cis_main", date(2024, 1, 2), False)
        seeder.rows.clear()  # the projection writes the report row itself
        await seeder.write(session)
        await _add_events(session, pathway_id, 0, upto)
    return pathway_id


async def _add_events(session: AsyncSession, pathway_id: uuid.UUID, start: int, end: int) -> None:
    rows = [
        {"pathway_id": pathway_id, **e.model_dump(exclude={"data"}), "data": e.data}
        for e in KIS_THEN_CIS[start:end]
    ]
    await session.execute(insert(PathwayEvent), rows)


async def test_projecting_twice_counts_once_and_batches_add_up(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    pathway_id = await _pathway_with_events(sessions, upto=8)
    for _ in range(2):  # a retried activity
        async with unit_of_work(sessions) as session:
            await project_report_rows(session, pathway_id)
    async with unit_of_work(sessions) as session:
        await _add_events(session, pathway_id, 8, len(KIS_THEN_CIS))
        folded = await project_report_rows(session, pathway_id)
        again = await project_report_rows(session, pathway_id)
    assert (folded, again) == (len(KIS_THEN_CIS) - 8, 0)
    async with sessions() as session:
        row = await session.get(PathwayReportRow, pathway_id)
        months = {
            (m.month, m.programme): m
            for m in (
                await session.execute(
                    select(PathwayMonth).where(PathwayMonth.pathway_id == pathway_id)
                )
            ).scalars()
        }
    assert row is not None and row.last_seq == len(KIS_THEN_CIS)
    assert (row.attendance_days, row.bonus_count, row.bonus_total) == (2, 1, Decimal("300.00"))
    assert (row.exit_kind, row.outcome) == ("cis_completed", "employed_not_qualifying")
    august = months[(date(2024, 8, 1), "cis")]
    assert (august.attendance_days, august.unexcused_days, august.bonus_count) == (1, 1, 1)
    assert months[(date(2024, 1, 1), "kis")].attendance_days == 1
    benefits = {k[0]: m.benefit_amount for k, m in months.items() if k[1] == "cis"}
    assert sorted(benefits) == [date(2024, 7, 1), date(2024, 8, 1), date(2024, 9, 1)]
    assert all(amount > 0 for amount in benefits.values())


async def test_a_pathway_projected_before_the_reports_existed_is_backfilled(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    pathway_id = await _pathway_with_events(sessions, upto=len(KIS_THEN_CIS))
    async with unit_of_work(sessions) as session:
        assert await refresh_report_rows(session, [pathway_id]) == len(KIS_THEN_CIS)
        assert await refresh_report_rows(session, [pathway_id]) == 0
    async with sessions() as session:
        row = await session.get(PathwayReportRow, pathway_id)
    assert row is not None and row.kis_graduate and row.cis_completed_on == date(2024, 10, 1)
