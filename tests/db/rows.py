"""Rows the database-level tests start from, written directly (no API, no Temporal)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import (
    Participant,
    Pathway,
    PathwayDeadline,
    PathwayEvent,
    PathwayMonth,
    PathwayReportRow,
    Unit,
    User,
)
from db.pathways import register_pathway
from db.session import unit_of_work
from domain.actions import ACTION_ADAPTER
from domain.pathway import PathwayInput, PathwayState, StepRequest
from domain.public_holidays import is_day_off
from domain.roles import Role
from domain.steps import first_state

PER_PATHWAY = (Pathway, PathwayEvent, PathwayDeadline, PathwayReportRow, PathwayMonth)
NOT_COMPARED = {"id", "pathway_id", "participant_id", "created_at", "updated_at", "projected_at"}


async def cis_with_people(session: AsyncSession, people: list[uuid.UUID]) -> uuid.UUID:
    """A CIS unit with its head (a supervisor, the same id as the unit) and these participants;
    the unit's id."""
    unit = uuid.uuid4()
    await session.execute(insert(Unit), [{"id": unit, "code": f"CIS-{unit.hex[:8]}",
                                           "name": "CIS", "kind": "cis"}])  # fmt: skip
    await session.execute(insert(User), [{"id": unit, "username": f"u-{unit.hex[:8]}",
                                           "password_hash": "-", "role": "supervisor",
                                           "unit_id": unit}])  # fmt: skip
    await session.execute(insert(Participant), [{"id": p, "unit_id": unit, "first_name": "Jan",
                          "last_name": "Nowak", "birth_date": date(1980, 1, 1),
                          "created_by": unit} for p in people])  # fmt: skip
    return unit


def cis_october() -> list[StepRequest]:
    """A CIS case's steps from 5 October 2026: the IPZS, every working day of October present
    (7 hours), an unexcused absence on 2 November."""
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


async def twin_cis_pathways(
    sessions: async_sessionmaker[AsyncSession], history: list[StepRequest], at: datetime
) -> list[PathwayState]:
    """Two people of one CIS, each with a pathway from 5 October 2026 registered (nothing
    projected yet), started with the same back-dated `history`: their first states at `at`."""
    people = [uuid.uuid4(), uuid.uuid4()]
    async with unit_of_work(sessions) as session:
        unit = user = await cis_with_people(session, people)
    states = []
    for person in people:
        pathway = uuid.uuid4()
        start = PathwayInput(pathway_id=str(pathway), participant_id=str(person), programme="cis",
                             started_on=date(2026, 10, 5), requested_at=at,
                             history=history)  # fmt: skip
        states.append(first_state(start, at))
        async with unit_of_work(sessions) as session:
            await register_pathway(session, pathway, unit, person, user, "cis",
                                   date(2026, 10, 5), "cis_trial")  # fmt: skip
    return states


async def pathway_rows(
    session: AsyncSession, pathway_id: uuid.UUID
) -> dict[str, list[dict[str, Any]]]:
    """Every read-model row of a pathway by table, without ids and timestamps, to compare."""
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
