"""The lock that serialises a class's list of a day across API processes (PostgreSQL): a second
transaction waits until the first ends; another day or class does not wait."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import class_marks
from db.session import unit_of_work

DAY = date(2026, 11, 4)


async def test_a_second_sender_of_the_same_list_waits_for_the_first(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as probe:
        if probe.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite's one process serialises the lists itself")
    class_id = uuid.uuid4()
    async with unit_of_work(sessions) as first:
        await class_marks.lock_list(first, class_id, DAY)
        async with unit_of_work(sessions) as other:  # another class, another day: no wait
            await asyncio.wait_for(class_marks.lock_list(other, uuid.uuid4(), DAY), 5)
            await asyncio.wait_for(class_marks.lock_list(other, class_id, date(2026, 11, 5)), 5)

        async def second() -> None:
            async with unit_of_work(sessions) as session:
                await class_marks.lock_list(session, class_id, DAY)

        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.5)
        assert not waiting.done()  # held by the first transaction
    await asyncio.wait_for(waiting, 5)  # the first ended: the second goes on
