"""A class's attendance list sent while the worker process is killed (SIGKILL) in the middle of
it, then started again, and the list sent again: every member's day is recorded exactly once,
in the pathways' histories and in the read model; the ledger has one mark per person (issue 14,
"a worker killed mid-list")."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.settings import Settings
from db.group_tables import ClassMark
from db.models import PathwayEvent
from services import group_attendance
from tests.api.test_group_week import cis_participant, events_on, group_with, weekly_workshop
from tests.resilience.casework import CATCH_UP_SECONDS
from tests.resilience.processes import child
from tests.support import Staff, eventually

GROUP_SIZE = 30
DAY = "2026-11-04"  # a Wednesday of the group's weekly workshop
# The API (in this process) sends two steps at a time instead of its 64: the list lasts long
# enough for the kill to land inside it, whatever the machine's speed.
STEPS_AT_ONCE = 2
# Steps that never reached the dead worker are named as not recorded, for these reasons.
UNRECORDED = {"step_unconfirmed", "temporal_unavailable"}


async def _days_recorded(
    sessions: async_sessionmaker[AsyncSession], pathways: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """The read model's record_attendance events of the day, per pathway."""
    async with sessions() as session:
        query = (
            select(PathwayEvent.pathway_id, func.count())
            .where(PathwayEvent.pathway_id.in_(pathways),
                   PathwayEvent.type == "record_attendance",
                   PathwayEvent.occurred_on == date.fromisoformat(DAY))
            .group_by(PathwayEvent.pathway_id)
        )  # fmt: skip
        return {row[0]: int(row[1]) for row in await session.execute(query)}


async def test_a_class_list_with_the_worker_killed_mid_list_records_each_day_once(
    api: httpx.AsyncClient,
    staff: Staff,
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(group_attendance, "CONCURRENT_STEPS", STEPS_AT_ONCE)
    async with child("worker", settings, tmp_path / "worker.log") as worker:
        people = [await cis_participant(api, staff) for _ in range(GROUP_SIZE)]
        pathways = [uuid.UUID(p) for _, p in people]
        group = await group_with(api, staff, [p for p, _ in people])
        classes = await weekly_workshop(api, staff, group)
        url = f"/classes/{classes[2]}/attendance"
        marks = [{"participant_id": p, "mark": "present", "hours": "6"} for p, _ in people]
        body = {"day": DAY, "marks": marks}
        everyone = sorted(p for p, _ in people)

        sent = asyncio.create_task(api.post(url, json=body, headers=staff.caseworker))

        async def some_recorded() -> bool:
            return bool(await _days_recorded(sessions, pathways))

        await eventually(some_recorded, timeout=60)
        await worker.kill()  # mid-list: some members' days are recorded, the others not yet
        at_kill = len(await _days_recorded(sessions, pathways))
        assert at_kill < GROUP_SIZE, "the list was done before the kill: nothing was tested"
        worker.start()  # as a supervisor (systemd, Kubernetes) would
        first = await sent
        assert first.status_code == 200, first.text
        answer = first.json()
        named = answer["recorded"] + [n["participant_id"] for n in answer["not_recorded"]]
        assert sorted(named) == everyone  # each person either recorded or named
        assert {n["code"] for n in answer["not_recorded"]} <= UNRECORDED, answer

        # The same list sent again: the rest is recorded, nothing twice.
        again = await api.post(url, json=body, headers=staff.caseworker)
        assert again.status_code == 200, again.text
        assert sorted(again.json()["recorded"]) == everyone, again.text
        assert again.json()["not_recorded"] == []

        async def all_recorded() -> dict[uuid.UUID, int] | None:
            counted = await _days_recorded(sessions, pathways)
            return counted if len(counted) == GROUP_SIZE else None

        counted = await eventually(all_recorded, timeout=CATCH_UP_SECONDS + 60)
        assert set(counted.values()) == {1}, "a member's day was recorded twice"
        for _, pathway in people:  # the pathways' own state, from their workflows
            state = (await api.get(f"/pathways/{pathway}", headers=staff.caseworker)).json()
            assert events_on(state, DAY) == Counter({"record_attendance": 1}), pathway
        assert worker.running(), worker.output()

    async with sessions() as session:
        query = (
            select(ClassMark.participant_id, func.count())
            .where(ClassMark.class_id == uuid.UUID(classes[2]),
                   ClassMark.day == date.fromisoformat(DAY))
            .group_by(ClassMark.participant_id)
        )  # fmt: skip
        ledger = {str(row[0]): int(row[1]) for row in await session.execute(query)}
    assert ledger == dict.fromkeys(everyone, 1)
