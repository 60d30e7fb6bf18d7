"""A caseload of 300 open pathways handed over while the worker is killed mid-way, then started
again: every case moves once, every timeline holds one hand-over event, the audit log one entry
per case; a retry of the same request changes nothing."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.settings import Settings
from db.caseload_models import HandoverCase
from db.models import AuditEntry, Pathway, PathwayEvent
from domain.calendar import local_date
from tests.resilience.casework import CATCH_UP_SECONDS
from tests.resilience.processes import child
from tests.support import PASSWORD, Staff, eventually, login, person

CASES = int(os.environ.get("PATHWAYS_TEST_HANDOVER_CASES", "300"))


async def _open(api: httpx.AsyncClient, staff: Staff) -> str:
    participant = await api.post("/participants", json=person(), headers=staff.caseworker)
    assert participant.status_code == 201, participant.text
    opened = await api.post(
        f"/participants/{participant.json()['id']}/pathways",
        json={"programme": "kis", "start_date": local_date(datetime.now(UTC)).isoformat()},
        headers=staff.caseworker,
    )
    assert opened.status_code == 201, opened.text
    return str(opened.json()["id"])


async def _colleague(api: httpx.AsyncClient, staff: Staff) -> str:
    username = f"cw-{uuid.uuid4().hex[:8]}"
    body = {
        "username": username,
        "password": PASSWORD,
        "role": "caseworker",
        "unit_code": staff.unit_code,
    }
    made = await api.post("/users", headers=staff.admin, json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _events_per_case(
    sessions: async_sessionmaker[AsyncSession], pathways: list[uuid.UUID], own: bool = True
) -> dict[uuid.UUID, int]:
    """The `holder_changed` rows per case: the workflows' own (positive seq), or with those the
    hand-over's commit wrote ahead of them (`own=False`)."""
    async with sessions() as session:
        query = (
            select(PathwayEvent.pathway_id, func.count())
            .where(PathwayEvent.pathway_id.in_(pathways), PathwayEvent.type == "holder_changed")
            .group_by(PathwayEvent.pathway_id)
        )
        if own:
            query = query.where(PathwayEvent.seq > 0)
        return {row[0]: int(row[1]) for row in await session.execute(query)}


async def test_a_caseload_handed_over_with_the_worker_killed_moves_each_case_once(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    async with child("worker", settings, tmp_path / "worker.log") as worker:
        me = (await api.get("/caseload", headers=staff.caseworker)).json()["load"]
        takers = [await _colleague(api, staff) for _ in range(3)]
        opened: list[str] = []
        for first in range(0, CASES, 25):
            batch = range(first, min(first + 25, CASES))
            opened += await asyncio.gather(*(_open(api, staff) for _ in batch))
        pathways = [uuid.UUID(p) for p in opened]

        body = {"from_caseworker": me["caseworker_id"], "to": takers}
        headers = {**staff.supervisor, "Idempotency-Key": f"leaving-{uuid.uuid4()}"}
        sent = asyncio.create_task(api.post("/caseload/handovers", json=body, headers=headers))

        async def some_recorded() -> bool:
            return bool(await _events_per_case(sessions, pathways))

        await eventually(some_recorded, timeout=60)
        await worker.kill()  # mid-way: some timelines have the event, others not yet
        at_kill = len(await _events_per_case(sessions, pathways))
        assert at_kill < CASES, "the worker finished before it was killed: nothing was tested"
        answer = await sent
        assert answer.status_code == 200, answer.text
        result = answer.json()
        assert len(result["moved"]) == CASES and result["left"] == []
        assert sorted(load["open_cases"] for load in result["loads"]) == [0, *[CASES // 3] * 3]
        again = await api.post("/caseload/handovers", json=body, headers=headers)
        assert again.status_code == 200 and again.json() == result

        worker.start()

        async def all_recorded() -> dict[uuid.UUID, int] | None:
            counted = await _events_per_case(sessions, pathways)
            return counted if len(counted) == CASES else None

        counted = await eventually(all_recorded, timeout=CATCH_UP_SECONDS + 60)
        assert set(counted.values()) == {1}, "a case's hand-over was recorded twice"
        # Each row written ahead gave way to its workflow's own: one row per case.
        assert await _events_per_case(sessions, pathways, own=False) == counted
        assert worker.running(), worker.output()

    holders = {m["pathway_id"]: m["holder"] for m in result["moved"]}
    async with sessions() as session:
        rows = await session.execute(
            select(Pathway.id, Pathway.caseworker_id).where(Pathway.id.in_(pathways))
        )
        assert {str(r[0]): str(r[1]) for r in rows} == holders
        untold = await session.scalar(
            select(func.count())
            .select_from(HandoverCase)
            .where(HandoverCase.pathway_id.in_(pathways), HandoverCase.told_at.is_(None))
        )
        assert untold == 0
        audited = await session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.pathway_id.in_(pathways), AuditEntry.action == "caseload.handover")
        )
        assert audited == CASES
    await login(api, staff.caseworker_name)  # the API still answers
