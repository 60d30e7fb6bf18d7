"""Engines and sessions. One unit of work per request or activity; only it commits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, literal, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from domain.errors import Conflict


def async_url(url: str) -> str:
    """Accept plain URLs (`postgresql://`, `sqlite:///`) and name the async driver."""
    parsed = make_url(url)
    driver = {"postgresql": "postgresql+psycopg", "sqlite": "sqlite+aiosqlite"}.get(
        parsed.drivername
    )
    return parsed.set(drivername=driver).render_as_string(hide_password=False) if driver else url


def sync_url(url: str) -> str:
    """The same database through a synchronous driver (Alembic)."""
    parsed = make_url(url)
    driver = {
        "postgresql+psycopg": "postgresql+psycopg",
        "postgresql": "postgresql+psycopg",
        "sqlite+aiosqlite": "sqlite",
    }.get(parsed.drivername, parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets foreign keys, WAL and a busy timeout for several processes.

    A failed statement's error never carries its parameters (names, PESEL, notes): errors reach
    logs and Temporal's failure messages, which outlive an erasure.
    """
    full = async_url(url)
    if full.startswith("sqlite"):
        engine = create_async_engine(full, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    # Twenty requests at once each hold a connection for a moment: kept open, not made anew.
    return create_async_engine(
        full, pool_size=20, max_overflow=10, pool_pre_ping=True, hide_parameters=True
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (handlers return them)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Commit on success, roll back on error: the only place that commits."""
    async with sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


async def flush_or_conflict(session: AsyncSession, code: str, message: str) -> None:
    """Flush; a unique key already taken is the domain's conflict (the unit of work aborts)."""
    # No savepoint: a conflict always aborts the whole unit of work.
    try:
        await session.flush()
    except IntegrityError as err:
        raise Conflict(code, message) from err


async def ping(session: AsyncSession) -> None:
    """A round trip to the database (readiness)."""
    await session.execute(select(literal(1)))
