"""A caseworker's steps, and what every fault test checks at its end.

"No duplicate notification" is not checked yet: notifications do not exist (their own issue).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowExecutionStatus

from db.models import Pathway, PathwayEvent
from domain.calendar import local_date
from domain.workflow_ids import workflow_id
from tests.support import Staff, eventually, person

# Projections that fail are retried with backoff up to a minute, and an attempt lost with a
# killed worker waits out its 30 s start-to-close timeout first.
CATCH_UP_SECONDS = 90


async def active_kis_pathway(api: httpx.AsyncClient, staff: Staff) -> str:
    """A KIS pathway started today, diagnosed and under a social contract: steps can be recorded."""
    participant = await api.post("/participants", json=person(), headers=staff.caseworker)
    assert participant.status_code == 201, participant.text
    opened = await api.post(
        f"/participants/{participant.json()['id']}/pathways",
        json={"programme": "kis", "start_date": local_date(datetime.now(UTC)).isoformat()},
        headers=staff.caseworker,
    )
    assert opened.status_code == 201, opened.text
    pathway_id: str = opened.json()["id"]
    for step in ({"type": "record_diagnosis"}, {"type": "sign_social_contract"}):
        answer = await act(api, staff, pathway_id, step)
        assert answer.status_code == 200, answer.text
    return pathway_id


def attendance(hours: str) -> dict[str, Any]:
    """An attendance step; its hours tell it apart from the others of a test."""
    return {"type": "record_attendance", "hours": hours}


async def act(
    api: httpx.AsyncClient,
    staff: Staff,
    pathway_id: str,
    body: dict[str, Any],
    key: str | None = None,
) -> httpx.Response:
    """Send a step, with a fresh Idempotency-Key unless one is given (as the web UI does)."""
    headers = {**staff.caseworker, "Idempotency-Key": key or str(uuid.uuid4())}
    return await api.post(f"/pathways/{pathway_id}/actions", json=body, headers=headers)


async def assert_recorded_once(
    api: httpx.AsyncClient,
    staff: Staff,
    sessions: async_sessionmaker[AsyncSession],
    temporal: Client,
    pathway_id: str,
    hours: list[str],
) -> None:
    """Each accepted attendance is in the workflow's timeline once, the read model holds exactly
    the timeline, and the pathway's workflow is still running."""

    async def looked() -> httpx.Response | None:
        # A worker just (re)started may take a moment to answer the Query (503 until then).
        answer = await api.get(f"/pathways/{pathway_id}", headers=staff.caseworker)
        assert answer.status_code in (200, 503), answer.text
        return answer if answer.status_code == 200 else None

    answer = await eventually(looked)
    timeline: list[dict[str, Any]] = answer.json()["timeline"]
    recorded = sorted(
        Decimal(e["data"]["hours"]) for e in timeline if e["type"] == "record_attendance"
    )
    assert recorded == sorted(Decimal(h) for h in hours)
    assert [e["seq"] for e in timeline] == list(range(1, len(timeline) + 1))
    expected = [(e["seq"], e["type"]) for e in timeline]

    async def projected() -> list[tuple[int, str]] | None:
        async with sessions() as session:
            rows = await session.execute(
                select(PathwayEvent.seq, PathwayEvent.type)
                .where(PathwayEvent.pathway_id == uuid.UUID(pathway_id))
                .order_by(PathwayEvent.seq)
            )
            events = [(seq, type_) for seq, type_ in rows.all()]
            last_seq = await session.scalar(
                select(Pathway.last_seq).where(Pathway.id == uuid.UUID(pathway_id))
            )
        return events if events == expected and last_seq == expected[-1][0] else None

    await eventually(projected, timeout=CATCH_UP_SECONDS)
    described = await temporal.get_workflow_handle(workflow_id(pathway_id)).describe()
    assert described.status == WorkflowExecutionStatus.RUNNING
