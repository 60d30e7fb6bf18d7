"""One timestamp type on both dialects: stored in UTC, always read back aware."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Base
from db.types import UtcDateTime

WARSAW_SUMMER = timezone(timedelta(hours=2))


def test_every_timestamp_column_is_aware() -> None:
    plain = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, DateTime)
    ]
    assert plain == []
    assert isinstance(Base.metadata.tables["users"].c.created_at.type, UtcDateTime)


async def test_an_instant_survives_the_round_trip_and_compares_with_aware_values(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    probe = Table(
        f"utc_probe_{uuid.uuid4().hex[:8]}",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("at", UtcDateTime()),
    )
    written = datetime(2026, 7, 1, 9, 30, tzinfo=WARSAW_SUMMER)  # 07:30 UTC
    async with sessions() as session, session.begin():
        connection = await session.connection()
        await connection.run_sync(probe.create)
        try:
            await session.execute(insert(probe).values(id=1, at=written))
            read = (await session.execute(select(probe.c.at))).scalar_one()
            later = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
            earlier = (
                await session.execute(select(probe.c.id).where(probe.c.at < later))
            ).scalar_one_or_none()
        finally:
            await connection.run_sync(probe.drop)
    assert read == written
    assert read.tzinfo is not None and read.utcoffset() == timedelta(0)
    assert read < later  # an aware value compares with an aware one (no TypeError)
    assert earlier == 1  # the comparison in SQL agrees with the instant, not the wall clock


def test_a_naive_timestamp_is_refused() -> None:
    from sqlalchemy.dialects import sqlite

    with pytest.raises(ValueError, match="aware"):
        UtcDateTime().process_bind_param(datetime(2026, 7, 1, 9, 30), sqlite.dialect())
