"""A fresh, throw-away database: PostgreSQL when reachable, else a temporary SQLite file."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import psycopg
from psycopg import sql

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Database:
    """Where the benchmark's database is, and which kind it is."""

    url: str
    kind: str


@asynccontextmanager
async def fresh_database(try_postgres: bool) -> AsyncIterator[Database]:
    """An empty database for the run, removed afterwards even on error."""
    if try_postgres and await asyncio.to_thread(_postgres_reachable):
        name = f"pathways_bench_{secrets.token_hex(6)}"
        await asyncio.to_thread(_admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield Database(url=f"{POSTGRES_SERVER}/{name}", kind="PostgreSQL")
        finally:
            await asyncio.to_thread(_admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                                    .format(sql.Identifier(name)))
        return
    with tempfile.TemporaryDirectory(prefix="pathways-bench-") as folder:
        yield Database(url=f"sqlite:///{folder}/bench.db", kind="SQLite")


def _postgres_reachable() -> bool:
    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _admin(statement: sql.Composed) -> None:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True,
                         connect_timeout=10) as connection:
        connection.execute(statement)
