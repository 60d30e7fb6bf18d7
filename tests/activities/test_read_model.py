"""The read-model projection on the real database: idempotent, and no home for orphans."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.read_model import ReadModelActivities
from db import caseload
from db.models import PathwayDeadline, PathwayEvent
from db.session import unit_of_work
from domain.calendar import add_days, add_months, local_date
from domain.caseload import CaseMove, HolderChange, note_holder
from domain.pathway import PathwayInput
from domain.steps import first_state
from domain.views import snapshot
from tests.support import Staff, eventually, person


async def _kis_opened(
    api: httpx.AsyncClient, staff: Staff
) -> tuple[dict[str, str], httpx.Response]:
    """A new participant, and the answer opening their KIS pathway on 2 January 2025."""
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": "2025-01-02"},
        headers=staff.caseworker,
    )
    return participant, opened


async def test_a_snapshot_applied_twice_writes_its_events_once(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    participant, opened = await _kis_opened(api, staff)
    start = PathwayInput(
        pathway_id=opened.json()["id"],
        participant_id=participant["id"],
        programme="kis",
        started_on=date(2025, 1, 2),
    )
    snap = snapshot(first_state(start, datetime.now(UTC)), after_seq=0, limit=100)
    activities = ReadModelActivities(sessions)
    for _ in range(2):
        await ActivityEnvironment().run(activities.project_pathway, snap)
    async with sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(PathwayEvent)
            .where(PathwayEvent.pathway_id == uuid.UUID(snap.pathway_id))
        )
    assert count == len(snap.events) == 2  # started, and the six-month mark already reached


async def test_an_unregistered_pathway_is_refused_for_good(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    start = PathwayInput(
        pathway_id=str(uuid.uuid4()),
        participant_id=str(uuid.uuid4()),
        programme="kis",
        started_on=date(2025, 1, 2),
    )
    snap = snapshot(first_state(start, datetime.now(UTC)), after_seq=0, limit=100)
    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(ReadModelActivities(sessions).project_pathway, snap)
    assert refused.value.type == "pathway_not_registered" and refused.value.non_retryable


async def _deadline_rows(
    sessions: async_sessionmaker[AsyncSession], pathway_id: str
) -> dict[str, tuple[date, bool]]:
    async with sessions() as session:
        rows = await session.execute(
            select(PathwayDeadline).where(PathwayDeadline.pathway_id == uuid.UUID(pathway_id))
        )
        return {row.kind: (row.due_on, row.overdue) for row in rows.scalars()}


async def test_open_deadlines_follow_the_pathway_into_the_read_model(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    participant = (await api.post("/participants", json=person(), headers=staff.caseworker)).json()
    opened = await api.post(
        f"/participants/{participant['id']}/pathways",
        json={"programme": "kis", "start_date": "2026-01-05"},
        headers=staff.caseworker,
    )
    pathway = opened.json()["id"]

    async def step(body: dict[str, object]) -> None:
        answer = await api.post(f"/pathways/{pathway}/actions", json=body, headers=staff.caseworker)
        assert answer.status_code == 200, answer.text

    await step({"type": "record_diagnosis", "occurred_on": "2026-01-10"})
    await step(
        {"type": "sign_social_contract", "occurred_on": "2026-01-12", "review_on": "2026-02-12"}
    )
    # The review date passed long ago: the task is overdue, the six-month mark has gone by.
    overdue = {"contract_review": (date(2026, 2, 12), True)}
    assert await eventually(lambda: _when(_deadline_rows(sessions, pathway), overdue)) == overdue

    next_review = add_months(local_date(datetime.now(UTC)), 12)  # 29 Feb goes to 28 Feb
    await step({"type": "review_contract", "next_review_on": next_review.isoformat()})
    pending = {"contract_review": (next_review, False)}
    assert await eventually(lambda: _when(_deadline_rows(sessions, pathway), pending)) == pending

    await step({"type": "withdraw"})
    window = {"outcome_window": (add_days(local_date(datetime.now(UTC)), 90), False)}
    assert await eventually(lambda: _when(_deadline_rows(sessions, pathway), window)) == window


async def _when(
    rows: Awaitable[dict[str, tuple[date, bool]]], expected: dict[str, tuple[date, bool]]
) -> dict[str, tuple[date, bool]] | None:
    found = await rows
    return found if found == expected else None


async def _holder_rows(
    sessions: async_sessionmaker[AsyncSession], pathway_id: uuid.UUID
) -> list[tuple[int, str | None]]:
    async with sessions() as session:
        rows = await session.execute(
            select(PathwayEvent.seq, PathwayEvent.data)
            .where(PathwayEvent.pathway_id == pathway_id, PathwayEvent.type == "holder_changed")
            .order_by(PathwayEvent.seq)
        )
        return [(seq, data.get("holder")) for seq, data in rows]


async def test_a_handover_written_ahead_gives_way_to_the_workflows_event_once(
    api: httpx.AsyncClient, staff: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    participant, opened = await _kis_opened(api, staff)
    pathway_id = uuid.UUID(opened.json()["id"])
    previous, holder = uuid.uuid4(), uuid.uuid4()
    move = CaseMove(pathway_id=pathway_id, previous=previous, holder=holder)
    day = date(2025, 2, 3)
    now = datetime.now(UTC)

    async def write_ahead() -> None:
        async with unit_of_work(sessions) as session:
            await caseload.write_ahead(session, [move], None, "kierownik", day, now)

    # The hand-over's commit shows the event at once, under a negative seq.
    await write_ahead()
    assert await _holder_rows(sessions, pathway_id) == [(-1, str(holder))]

    # The workflow's projection of the same event takes its place, however often it is applied.
    start = PathwayInput(
        pathway_id=str(pathway_id),
        participant_id=participant["id"],
        programme="kis",
        started_on=date(2025, 1, 2),
    )
    change = HolderChange(
        key="handover:x", holder=str(holder), previous=str(previous), actor="kierownik",
        occurred_on=day,
    )  # fmt: skip
    state = note_holder(first_state(start, now), change, now)
    snap = snapshot(state, after_seq=0, limit=100)
    seq = snap.events[-1].seq
    activities = ReadModelActivities(sessions)
    for _ in range(2):
        await ActivityEnvironment().run(activities.project_pathway, snap)
    assert await _holder_rows(sessions, pathway_id) == [(seq, str(holder))]

    # A later hand-over with the same holders is written ahead again; the first event's
    # projection replayed leaves it in place.
    await write_ahead()
    await ActivityEnvironment().run(activities.project_pathway, snap)
    assert await _holder_rows(sessions, pathway_id) == [(-1, str(holder)), (seq, str(holder))]
