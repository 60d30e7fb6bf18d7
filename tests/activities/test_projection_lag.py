"""The lag from a step to its read-model rows is measured and exported as a worker metric."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.read_model import ReadModelActivities
from core.metrics import temporal_runtime
from core.settings import Settings
from db.models import PathwayReportRow
from db.session import unit_of_work
from domain.pathway import PathwayInput
from domain.steps import first_state
from domain.views import snapshot
from tests.db.report_seed import new_unit
from tests.resilience.processes import free_port
from tests.support import eventually


async def test_each_projection_records_its_lag_in_the_worker_metrics(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    address = f"127.0.0.1:{free_port()}"
    runtime = temporal_runtime(settings.model_copy(update={"worker_metrics_address": address}))
    assert runtime is not None
    async with unit_of_work(sessions) as session:
        seeder = await new_unit(session)
        participant = seeder.person()
        pathway_id = seeder.pathway(participant, "kis", "kis_intake", date(2025, 1, 2), False)
        seeder.rows.clear()  # the projection writes it
        await seeder.write(session)
    start = PathwayInput(
        pathway_id=str(pathway_id),
        participant_id=str(participant),
        programme="kis",
        started_on=date(2025, 1, 2),
    )
    snap = snapshot(first_state(start, datetime.now(UTC)), after_seq=0, limit=100)
    env = ActivityEnvironment()
    env.metric_meter = runtime.metric_meter
    await env.run(ReadModelActivities(sessions).project_pathway, snap)
    async with sessions() as session:
        row = await session.get(PathwayReportRow, pathway_id)
    assert row is not None and row.kis_entered_on == date(2025, 1, 2)
    async with httpx.AsyncClient() as http:

        async def scraped() -> str | None:
            text = (await http.get(f"http://{address}/metrics")).text
            return text if "pathway_projection_lag" in text else None

        text = await eventually(scraped, timeout=20)
    count = next(
        line for line in text.splitlines() if line.startswith("pathway_projection_lag_count")
    )
    assert count.rstrip().endswith(" 1")
