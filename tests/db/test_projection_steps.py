"""A pathway projected step by step, as its workflow does after each step, leaves the read model
as one projection of its whole history would: the reports' rows fold the events each projection
has just written (not read back), and read them back when the row lags behind (here: its rows
dropped half-way) or when the snapshot is a stale replay; benefits follow the months as written."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import projection
from db.models import PathwayMonth, PathwayReportRow
from db.session import unit_of_work
from domain.actions import ACTION_ADAPTER
from domain.pathway import StepRequest
from domain.roles import Role
from domain.views import snapshot
from tests.db.rows import cis_october, pathway_rows, twin_cis_pathways

# Anchored: before the trial month's deadline (5 November), so November's first event is the day.
AT = datetime(2026, 11, 4, 9, tzinfo=UTC)


def _into_november() -> list[StepRequest]:
    """October's days, then November's first day present: a new month begun by attendance
    alone, whose benefit the projection must work out (no step that changes benefits)."""
    november = {"type": "record_attendance", "hours": 7, "occurred_on": "2026-11-03"}
    first_day = StepRequest(
        action=ACTION_ADAPTER.validate_python(november), actor="cw", role=Role.SUPERVISOR
    )
    return [*cis_october()[:-1], first_day]


async def test_step_by_step_projections_fold_what_they_wrote_as_one_whole_projection_would(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    stepwise, whole = await twin_cis_pathways(sessions, _into_november(), AT)
    stepped_id, whole_id = uuid.UUID(stepwise.pathway_id), uuid.UUID(whole.pathway_id)
    total = len(stepwise.timeline)
    assert total > 20

    for seq in range(total):
        async with unit_of_work(sessions) as session:
            await projection.project_with_reports(session, snapshot(stepwise, seq, 1))
        if seq == total // 2:  # the reports' rows lag behind: the next projection reads back
            async with unit_of_work(sessions) as session:
                for model in (PathwayMonth, PathwayReportRow):
                    await session.execute(delete(model).where(model.pathway_id == stepped_id))
        if seq == total // 3:  # a retried activity's stale snapshot changes nothing
            async with unit_of_work(sessions) as session:
                await projection.project_with_reports(session, snapshot(stepwise, seq - 1, 1))
    async with unit_of_work(sessions) as session:
        await projection.project_with_reports(session, snapshot(whole, 0, total))

    async with sessions() as session:
        stepped, at_once = [await pathway_rows(session, p) for p in (stepped_id, whole_id)]
    benefits = {m["month"]: m["benefit_amount"] for m in stepped["pathway_months"]}
    assert benefits[date(2026, 11, 1)] > 0 and benefits[date(2026, 10, 1)] > 0
    assert stepped == at_once
