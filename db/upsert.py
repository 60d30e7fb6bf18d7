"""INSERT ... ON CONFLICT, the same on PostgreSQL and SQLite: the one place that picks the dialect.

Both dialects spell it alike (`on_conflict_do_nothing`, `on_conflict_do_update`, `excluded`), but
SQLAlchemy builds it from the dialect's own `insert`; every idempotent write goes through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Insert = postgresql.Insert | sqlite.Insert


def dialect_insert(dialect: str, table: Any) -> Insert:
    """The dialect's INSERT for `table` (a mapped class or a Table), which knows ON CONFLICT."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def insert_for(session: AsyncSession, table: Any) -> Insert:
    """`dialect_insert` for the session's database."""
    return dialect_insert(session.get_bind().dialect.name, table)


def insert_ignoring(session: AsyncSession, table: Any, keys: Sequence[str]) -> Insert:
    """INSERT that leaves an existing row with the same `keys` as it is (a retry, a twin)."""
    return insert_for(session, table).on_conflict_do_nothing(index_elements=list(keys))


def upsert(
    session: AsyncSession, table: Any, values: Any, keys: Sequence[str], replace: Sequence[str]
) -> Insert:
    """INSERT `values`; on a row with the same `keys`, set the `replace` columns to the new ones."""
    statement = insert_for(session, table).values(values)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={column: statement.excluded[column] for column in replace},
    )
