"""A new pathway's first projection, written in its registration's transaction, leaves the read
model exactly as the workflow's projection of the same snapshot would: events, columns, deadlines,
reports' rows, months and benefits (an imported CIS case with a back-dated month: each is there)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import projection
from db.models import (
    Pathway,
    PathwayDeadline,
    PathwayEvent,
    PathwayMonth,
    PathwayReportRow,
)
from db.pathways import register_pathway
from db.session import unit_of_work
from domain.actions import ACTION_ADAPTER
from domain.pathway import PathwayInput, StepRequest
from domain.public_holidays import is_day_off
from domain.roles import Role
from domain.steps import first_state
from domain.views import snapshot
from tests.db.rows import cis_with_people

# Anchored: the steps are back-dated to October 2026 and the first state is computed at this moment.
AT = datetime(2026, 11, 16, 9, tzinfo=UTC)
PER_PATHWAY = (Pathway, PathwayEvent, PathwayDeadline, PathwayReportRow, PathwayMonth)
NOT_COMPARED = {"id", "pathway_id", "participant_id", "created_at", "updated_at", "projected_at"}


def _history() -> list[StepRequest]:
    days = [date(2026, 10, d) for d in range(6, 31) if not is_day_off(date(2026, 10, d))]
    steps: list[dict[str, Any]] = [
        {"type": "sign_ipzs", "occurred_on": "2026-10-05"},
        *({"type": "record_attendance", "hours": 7, "occurred_on": d.isoformat()} for d in days),
        {"type": "record_absence", "kind": "unexcused", "occurred_on": "2026-11-02"},
    ]
    return [
        StepRequest(action=ACTION_ADAPTER.validate_python(s), actor="cw", role=Role.SUPERVISOR)
        for s in steps
    ]


async def _rows(session: AsyncSession, pathway_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for model in PER_PATHWAY:
        table: Table = model.__table__  # type: ignore[assignment]
        key = table.c.id if model is Pathway else table.c.pathway_id
        result = await session.execute(select(table).where(key == pathway_id))
        found[table.name] = sorted(
            ({k: v for k, v in row._mapping.items() if k not in NOT_COMPARED} for row in result),
            key=repr,
        )
    return found


async def test_a_registrations_first_projection_writes_what_the_workflows_would(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    people, pathways = [uuid.uuid4(), uuid.uuid4()], [uuid.uuid4(), uuid.uuid4()]
    async with unit_of_work(sessions) as session:
        unit = user = await cis_with_people(session, people)

    snaps = []
    for person, pathway in zip(people, pathways, strict=True):
        start = PathwayInput(pathway_id=str(pathway), participant_id=str(person), programme="cis",
                             started_on=date(2026, 10, 5), requested_at=AT,
                             history=_history())  # fmt: skip
        state = first_state(start, AT)
        snaps.append(snapshot(state, 0, len(state.timeline)))
        async with unit_of_work(sessions) as session:
            await register_pathway(session, pathway, unit, person, user, "cis",
                                   date(2026, 10, 5), "cis_trial")  # fmt: skip
    assert snaps[0].deadlines and len(snaps[0].events) > 20  # the comparison has something to see

    async with unit_of_work(sessions) as session:
        await projection.project_new_pathway(session, snaps[0])
    async with unit_of_work(sessions) as session:
        await projection.project_with_reports(session, snaps[1])

    async with sessions() as session:
        new, usual = await _rows(session, pathways[0]), await _rows(session, pathways[1])
    assert new["pathway_months"] and any(m["benefit_amount"] for m in new["pathway_months"])
    assert new == usual
