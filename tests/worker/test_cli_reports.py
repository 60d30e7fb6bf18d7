"""`pathways db refresh-reports`: the reports' read model caught up from the timeline."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from db.models import PathwayEvent, PathwayReportRow
from db.session import unit_of_work
from tests.db.report_seed import new_unit
from tests.domain.test_report_rows import KIS_THEN_CIS
from worker.cli import app


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The CLI, pointed at the test database through its settings."""
    from core.settings import get_settings

    monkeypatch.setenv("PATHWAYS_DATABASE_URL", database_url)
    monkeypatch.setenv("PATHWAYS_ENVIRONMENT", "development")  # unset would mean production
    get_settings.cache_clear()
    return CliRunner()


async def test_refresh_reports_folds_what_is_missing_once(
    runner: CliRunner, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with unit_of_work(sessions) as session:
        seeder = await new_unit(session)
        pathway_id = seeder.pathway(
            seeder.person(), "kis", "closed", KIS_THEN_CIS[0].occurred_on, True
        )
        seeder.rows.clear()
        await seeder.write(session)
        rows = [{"pathway_id": pathway_id, **e.model_dump()} for e in KIS_THEN_CIS]
        await session.execute(insert(PathwayEvent), rows)
    first = await asyncio.to_thread(runner.invoke, app, ["db", "refresh-reports"])
    assert first.exit_code == 0, first.output
    second = await asyncio.to_thread(runner.invoke, app, ["db", "refresh-reports"])
    assert "0 events folded" in second.output
    async with sessions() as session:
        row = await session.get(PathwayReportRow, pathway_id)
    assert row is not None and row.exit_kind == "cis_completed"
